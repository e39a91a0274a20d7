"""The patient-identifier guard: CHI and NHS numbers never reach a saved write-up or tool."""
