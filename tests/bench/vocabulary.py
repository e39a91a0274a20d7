"""The words the synthetic write-ups are made of: the domain's own vocabulary, as data.

Drawn from /work/shared/guide/domain.md and the demo write-ups in content/demo/. Topics are
listed most common first: the corpus draws them Zipf-like, so "frailty" and "DOAC" are
everywhere and "lithium" or "shingles" are rare, as in real cluster work.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    subjects: tuple[str, ...]      # noun phrases that make titles ("DOAC dose checks")
    tags: tuple[str, ...]          # topic tags, display spellings as authors type them
    terms: tuple[str, ...]         # phrases and abbreviations used in the text
    population: str                # who the work is for
    measure: str                   # what the outcome measure counts


TOPICS: tuple[Topic, ...] = (
    Topic("frailty", ("frailty identification", "frailty reviews", "the frailty MDT huddle",
                      "moderate and severe frailty care"),
          ("frailty", "anticipatory care", "mdt"),
          ("frailty", "the eFI", "the electronic Frailty Index", "Rockwood scores", "falls",
           "the MDT huddle", "care homes", "future care planning", "ACP"),
          "patients with moderate or severe frailty", "frail patients with a documented care plan"),
    Topic("doac", ("DOAC monitoring", "DOAC dose checks", "anticoagulation monitoring and DOAC "
                   "switching", "warfarin to DOAC switching"),
          ("doac", "anticoagulation", "safer prescribing"),
          ("DOAC", "apixaban", "rivaroxaban", "edoxaban", "warfarin", "INR", "AF",
           "atrial fibrillation", "creatinine clearance", "renal function", "bleeding risk"),
          "patients with AF on an anticoagulant", "patients on a DOAC with a correct dose"),
    Topic("ckd", ("CKD coding", "management of reduced eGFR", "urine ACR recall",
                  "the renal audit"),
          ("ckd", "recall", "audit"),
          ("eGFR", "CKD", "chronic kidney disease", "urine ACR", "ACE inhibitors", "SGLT2 "
           "inhibitors", "renal function", "nephrology", "blood pressure"),
          "patients with an eGFR below 60", "patients with CKD coded and a urine ACR this year"),
    Topic("kis", ("Key Information Summaries", "KIS for care home residents",
                  "KIS and anticipatory care plans"),
          ("kis", "anticipatory care", "frailty"),
          ("KIS", "Key Information Summary", "out-of-hours services", "the ambulance service",
           "preferred place of care", "DNACPR", "next of kin", "anticipatory care plans"),
          "patients on the palliative and frailty registers", "patients with a KIS meeting the "
          "cluster standard"),
    Topic("diabetes", ("HbA1c recall", "diabetes foot checks", "diabetes annual reviews",
                       "prediabetes recall"),
          ("diabetes", "recall", "prevention"),
          ("HbA1c", "type 2 diabetes", "prediabetes", "foot checks", "retinal screening",
           "SGLT2 inhibitors", "metformin", "structured education", "weight management"),
          "patients with type 2 diabetes", "patients with an HbA1c in the last 12 months"),
    Topic("copd", ("COPD rescue packs", "COPD self-management plans", "COPD annual reviews"),
          ("copd", "respiratory", "pharmacy"),
          ("COPD", "rescue packs", "self-management plans", "pulmonary rehabilitation",
           "spirometry", "exacerbations", "inhaler technique", "oral steroids"),
          "patients with COPD", "patients with COPD and a self-management plan"),
    Topic("valproate", ("safer valproate prescribing", "valproate pregnancy prevention",
                        "the valproate safety recall"),
          ("valproate", "safer prescribing", "women's health"),
          ("valproate", "sodium valproate", "the Pregnancy Prevention Programme",
           "the Annual Risk Acknowledgement Form", "highly effective contraception",
           "women of childbearing age", "topiramate", "neurology"),
          "women aged 12 to 55 on valproate", "women with a signed annual risk form"),
    Topic("menopause", ("menopause group consultations", "menopause care",
                        "HRT prescribing in the menopause"),
          ("menopause", "women's health", "group consultations"),
          ("menopause", "perimenopause", "HRT", "group consultations", "vasomotor symptoms",
           "the menopause clinic", "patient information"),
          "women in the perimenopause and menopause", "women attending a group consultation"),
    Topic("chronic-pain", ("opioid reduction", "gabapentinoid reduction", "chronic pain reviews",
                           "opioid tapering"),
          ("chronic pain", "opioids", "safer prescribing"),
          ("opioids", "gabapentinoids", "pregabalin", "gabapentin", "tapering", "morphine "
           "equivalent dose", "chronic pain", "the pain clinic", "tramadol"),
          "patients on long-term opioids", "patients on high-dose opioids"),
    Topic("respiratory", ("greener respiratory care", "low-carbon inhalers",
                          "SABA over-reliance", "asthma annual reviews"),
          ("respiratory", "asthma", "sustainability"),
          ("asthma", "SABA", "inhalers", "dry powder inhalers", "carbon footprint",
           "inhaler technique", "asthma control test", "ICS"),
          "patients with asthma", "patients issued more than six SABA inhalers a year"),
    Topic("hypertension", ("blood pressure monitoring", "the home BP monitor loan scheme",
                           "hypertension recall"),
          ("hypertension", "recall", "prevention"),
          ("BP", "blood pressure", "home blood pressure monitoring", "hypertension",
           "mirabegron", "ambulatory monitoring", "QRISK"),
          "patients with hypertension", "patients with a BP recorded in the last year"),
    Topic("antibiotics", ("antibiotic stewardship", "UTI antibiotic prescribing",
                          "broad-spectrum antibiotic prescribing"),
          ("antimicrobial stewardship", "safer prescribing", "pharmacy"),
          ("antibiotics", "UTI", "nitrofurantoin", "trimethoprim", "co-amoxiclav",
           "broad-spectrum antibiotics", "delayed prescriptions", "urine dipsticks"),
          "patients prescribed antibiotics", "antibiotic items per 1,000 patients"),
    Topic("week-of-care", ("the Week of Care demand audit", "demand and capacity",
                           "care navigation at reception"),
          ("demand", "access", "audit"),
          ("Week of Care", "demand", "capacity", "appointments", "care navigation",
           "reception", "triage", "telephone consultations"),
          "every contact in a week", "contacts that could go to another team member"),
    Topic("cancer", ("early cancer diagnosis", "safety-netting urgent suspicion of cancer "
                     "referrals", "cancer care reviews"),
          ("cancer", "safety netting", "education"),
          ("urgent suspicion of cancer", "USC referrals", "safety-netting", "FIT tests",
           "significant event analysis", "cancer care reviews"),
          "patients referred with suspected cancer", "USC referrals with a safety-netting code"),
    Topic("medicines-reconciliation", ("medicines reconciliation", "polypharmacy reviews",
                                       "hospital discharge letters"),
          ("polypharmacy", "pharmacy", "interface"),
          ("medicines reconciliation", "polypharmacy", "discharge letters", "the immediate "
           "discharge letter", "the 7-Steps review", "care homes", "deprescribing"),
          "patients discharged from hospital", "discharges reconciled within two working days"),
    Topic("carers", ("carers identification", "the practice carers register"),
          ("carers", "inequalities"),
          ("carers", "the carers register", "the carers centre", "young carers",
           "community link workers"),
          "unpaid carers", "carers on the register"),
    Topic("camhs", ("CAMHS referral expectations", "the school and CAMHS interface"),
          ("camhs", "schools", "interface"),
          ("CAMHS", "schools", "guidance teachers", "school nurses", "referral criteria",
           "mental health"),
          "children and young people referred to CAMHS", "referrals accepted first time"),
    Topic("home-visits", ("home visits", "the ANP visiting service"),
          ("home visits", "mdt", "access"),
          ("home visits", "ANP", "advanced nurse practitioners", "the visiting service",
           "district nurses", "care homes"),
          "housebound patients", "home visits by the ANP service"),
    Topic("learning-disability", ("learning disability health checks",),
          ("learning disability", "inequalities"),
          ("learning disability", "annual health checks", "easy-read letters", "reasonable "
           "adjustments"),
          "adults with a learning disability", "adults with a completed health check"),
    Topic("sick-day-rules", ("sick day rules cards",),
          ("sick day rules", "pharmacy", "ckd"),
          ("sick day rules", "acute kidney injury", "AKI", "metformin", "ACE inhibitors",
           "diuretics", "community pharmacy"),
          "patients on sick day rules medicines", "patients given a sick day rules card"),
    Topic("methotrexate", ("methotrexate shared-care monitoring",),
          ("methotrexate", "safer prescribing", "interface"),
          ("methotrexate", "shared care", "rheumatology", "full blood count", "liver "
           "function tests", "DMARDs"),
          "patients on shared-care DMARDs", "patients with up-to-date monitoring bloods"),
    Topic("lithium", ("lithium monitoring recall",),
          ("lithium", "mental health", "safer prescribing"),
          ("lithium", "lithium levels", "thyroid function", "the lithium register",
           "psychiatry"),
          "patients on lithium", "patients with a lithium level in the last three months"),
    Topic("shingles", ("shingles vaccine uptake", "vaccination uptake"),
          ("vaccination", "shingles", "prevention"),
          ("shingles vaccine", "vaccination", "immunisation teams", "uptake", "Shingrix"),
          "people aged 70 to 79", "people vaccinated against shingles"),
    Topic("learning-calendar", ("an annual audit calendar", "the cluster audit programme"),
          ("audit", "education"),
          ("the audit calendar", "significant event analysis", "protected learning time",
           "peer review"),
          "practices in the cluster", "audits completed on schedule"),
)

# Tags any write-up may carry besides its topic's, roughly in order of how often authors add them.
GENERAL_TAGS = ("audit", "pharmacy", "mdt", "interface", "recall", "access", "inequalities",
                "remote and rural", "sustainability", "education", "social work", "data",
                "community pharmacy", "digital", "patient experience")

# Words that appear in nearly every write-up (the expensive "common word" queries).
COMMON_WORDS = ("practice", "patients", "review", "cluster", "audit", "search", "data",
                "change", "team", "care")

STATUSES = (("completed", 40), ("active", 30), ("idea", 10), ("paused", 10), ("stopped", 10))
ROLES = (("intrinsic", 60), ("extrinsic", 20), ("both", 20))
VISIBILITIES = (("public", 55), ("network", 35), ("cluster", 10))
TOOL_KINDS = ("audit search", "data-collection spreadsheet", "template letter",
              "patient information", "protocol or pathway", "slides", "other")
CLINICAL_SYSTEMS = ("EMIS", "Vision", "Docman", "SCI Gateway", "TURAS")

STAFF = ("the practice pharmacist", "the CQL", "each PQL", "the practice manager",
         "an advanced nurse practitioner", "the practice nurses", "a community link worker",
         "the physiotherapist", "the district nursing team", "the LIST analyst",
         "the HSCP improvement advisor", "a GP trainee", "the reception team",
         "the pharmacotherapy technician", "the health visitor")
AUTHOR_ROLES = ("CQL", "PQL", "practice pharmacist", "practice manager", "ANP",
                "practice nurse", "LIST analyst", "community link worker", "GP",
                "district nurse team lead", "pharmacotherapy technician")
FIRST_NAMES = ("Morag", "Callum", "Priya", "Catriona", "Ben", "Jenny", "Fiona", "Alasdair",
               "Eilidh", "Hamish", "Ishbel", "Ruaridh", "Kirsty", "Iain", "Shona", "Mhairi",
               "Euan", "Ailsa", "Fraser", "Niamh", "Amir", "Grace", "Lewis", "Rhona", "Kenneth",
               "Siobhan", "Graeme", "Anna", "Joe", "Sana", "Tom", "Lorna", "Craig", "Heather",
               "Duncan", "Gillian", "Neil", "Aileen", "Ravi", "Chloe")
SURNAMES = ("Fraser", "Reid", "Nair", "Wallace", "Okafor", "Sinclair", "MacLeod", "Campbell",
            "Stewart", "Robertson", "Thomson", "Murray", "Paterson", "Henderson", "Morrison",
            "Ferguson", "Grant", "Hamilton", "Kerr", "McDonald", "Mackay", "Ross", "Scott",
            "Munro", "Gillespie", "Duncan", "Baird", "Cameron", "Chaudhry", "Kowalski",
            "Mitchell", "Watt", "Lindsay", "Docherty", "Sutherland", "Bell", "Gray", "Allan",
            "McIntyre", "Forbes")

# Syllables for invented Scottish-sounding place names: clusters and their ~900 practices.
# Place names are the long tail of any real corpus's vocabulary.
PLACE_HEADS = ("Kil", "Auch", "Strath", "Inver", "Bal", "Dun", "Glen", "Kin", "Aber", "Pit",
               "Lochan", "Craig", "Drum", "Ard", "Tor", "Cul", "Fin", "Mor", "Bran", "Tulli")
PLACE_MIDDLES = ("", "na", "ter", "bra", "gar", "mal", "ros", "lin", "do", "char")
PLACE_TAILS = ("muir", "ie", "side", "more", "ock", "ton", "burn", "haven", "bank", "field",
               "lea", "wick", "ay", "law", "holm")
CLUSTER_SUFFIXES = ("", " North", " South", " East", " West", " Central", " Rural",
                    " & Coast", " Valley")
PRACTICE_SUFFIXES = ("Medical Practice", "Health Centre", "Surgery", "Medical Group",
                     "Family Practice")
# How many clusters each HSCP has where it is not the default: the larger HSCPs have more.
CLUSTERS_PER_HSCP = {"Glasgow City": 12, "Edinburgh": 10, "Fife": 8, "Highland": 9,
                     "North Lanarkshire": 7, "South Lanarkshire": 7, "Aberdeenshire": 7,
                     "Aberdeen City": 4, "Orkney": 1, "Shetland": 1, "Western Isles": 2,
                     "Clackmannanshire and Stirling": 3, "Inverclyde": 2, "Moray": 2}
DEFAULT_CLUSTERS_PER_HSCP = 4

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# The long tail of ordinary QI prose, drawn Zipf-like so some words are everywhere and some rare.
VERBS = ("agreed", "tested", "shared", "reviewed", "checked", "recorded", "coded", "invited",
         "tracked", "discussed", "simplified", "piloted", "standardised", "audited", "mapped",
         "redesigned", "measured", "compared", "prioritised", "streamlined", "documented",
         "escalated", "reconciled", "triaged", "validated", "benchmarked", "scheduled")
ADJECTIVES = ("monthly", "shared", "simple", "new", "weekly", "annual", "manual", "local",
              "national", "electronic", "structured", "informal", "consistent", "clear",
              "practical", "unexpected", "sustainable", "reliable", "rural", "urban", "small",
              "overdue", "baseline", "complete", "accurate", "timely", "burdensome",
              "pragmatic", "disproportionate", "idiosyncratic")
NOUNS = ("list", "template", "letter", "protocol", "spreadsheet", "meeting", "recall",
         "register", "huddle", "checklist", "leaflet", "pathway", "workload", "workflow",
         "dashboard", "alert", "codes", "clinic", "appointments", "referrals", "invitations",
         "results", "guidance", "training", "session", "prescriptions", "records", "queries",
         "handover", "rota", "backlog", "bottleneck", "caseload", "flowchart", "safeguards")
REASONS = ("the lists were out of date", "coding was inconsistent between practices",
           "nobody owned the recall", "the data were hard to extract",
           "staff changed partway through", "the pandemic interrupted the work",
           "patients valued a named contact", "the template was too long",
           "reception staff were not involved early enough",
           "the search missed patients with old codes", "winter pressures took priority")
