"""Generated CHI and NHS numbers for tests: valid or deliberately broken, never a real patient's.

The check digits are computed here independently of `registry.privacy.identifiers`, so tests
that use these numbers check the guard against the published rules, not against itself.
Everything is deterministic: the same arguments give the same numbers.
"""

import random
from datetime import date, timedelta

MODULUS_11 = "modulus 11"
MODULUS_10 = "modulus 10"


def modulus_11_check(first_nine: str) -> int | None:
    """The NHS/CHI modulus-11 check digit, or None where the scheme allows none (remainder 10)."""
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, (10, 9, 8, 7, 6, 5, 4, 3, 2))) % 11
    return {11: 0, 10: None}.get(check, check)


def modulus_10_check(first_nine: str) -> int:
    """Public Health Scotland's modulus-10 (Luhn) digit: digits 1, 3, 5, 7, 9 doubled."""
    total = 0
    for position, d in enumerate(first_nine, 1):
        value = int(d) * 2 if position % 2 else int(d)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def chi(born: date = date(1985, 3, 14), serial: int = 120, scheme: str = MODULUS_11) -> str:
    """A valid CHI number for `born`, checked under `scheme`.

    `serial` (three digits) is the first tried; it steps on while the scheme gives no digit
    and, for modulus 10, until the number fails modulus 11, so it is valid under that scheme
    alone (as the numbers issued from late 2025 are).
    """
    for step in range(1000):
        first_nine = born.strftime("%d%m%y") + f"{(serial + step) % 1000:03d}"
        if scheme == MODULUS_11:
            check = modulus_11_check(first_nine)
            if check is not None:
                return first_nine + str(check)
        else:
            number = first_nine + str(modulus_10_check(first_nine))
            if not passes_modulus_11(number):
                return number
    raise AssertionError("no serial gives a valid number")  # cannot happen: 1 in 11 fail


def chis(count: int, seed: int = 1, scheme: str = MODULUS_11) -> list[str]:
    """`count` valid CHI numbers with birth dates from 1930 to 2024, some with a leading zero."""
    rng = random.Random(seed)
    start = date(1930, 1, 1)
    return [
        chi(start + timedelta(days=rng.randrange(95 * 365)), rng.randrange(1000), scheme)
        for _ in range(count)
    ]


def nhs(serial: int = 12345678) -> str:
    """A valid NHS number that cannot be a CHI number: it starts with 4, as England's do."""
    for step in range(1000):
        first_nine = f"4{(serial + step) % 10**8:08d}"
        check = modulus_11_check(first_nine)
        if check is not None:
            return first_nine + str(check)
    raise AssertionError("no serial gives a valid number")


def nhss(count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    return [nhs(rng.randrange(10**8)) for _ in range(count)]


def bad_check_digit(number: str) -> str:
    """The same number with a last digit that passes neither check digit scheme."""
    for digit in "0123456789":
        broken = number[:9] + digit
        if not passes_modulus_11(broken) and not passes_modulus_10(broken):
            return broken
    raise AssertionError("every digit passes")  # cannot happen: at most two digits pass


def bad_date(day_month: str = "3201", serial: int = 120) -> str:
    """Ten digits whose first six are no date (day 32 by default), with a right modulus-10
    check digit and a wrong modulus-11 one: a CHI number but for its date, and no NHS number."""
    for step in range(1000):
        first_nine = f"{day_month}01{(serial + step) % 1000:03d}"
        number = first_nine + str(modulus_10_check(first_nine))
        if not passes_modulus_11(number):
            return number
    raise AssertionError("no serial gives such a number")


def grouped(number: str, pattern: str = "3-3-4", separator: str = " ") -> str:
    """The number written in groups: "3-3-4" (010 101 1237) or "6-4" (010101 1237)."""
    if pattern == "3-3-4":
        return separator.join((number[:3], number[3:6], number[6:]))
    return separator.join((number[:6], number[6:]))


def phone_like(count: int, seed: int = 3) -> list[str]:
    """Scottish landline numbers whose leading zero a spreadsheet dropped (0131 3…, 0141 4…).

    None is a date (the "month" is 13 to 16), so none is a CHI number; about one in eleven
    passes the NHS check digit by chance, as any ten digits do.
    """
    rng = random.Random(seed)
    return [
        rng.choice(("131", "141")) + rng.choice("3456") + f"{rng.randrange(10**6):06d}"
        for _ in range(count)
    ]


def passes_modulus_11(number: str) -> bool:
    return modulus_11_check(number[:9]) == int(number[9])


def passes_modulus_10(number: str) -> bool:
    return modulus_10_check(number[:9]) == int(number[9])
