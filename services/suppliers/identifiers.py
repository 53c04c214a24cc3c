"""Check digits of Chinese registration numbers (pure functions, no database).

- Unified social credit code, GB 32100-2015: 18 characters from a 31-character alphabet
  (digits and capitals without I, O, S, V, Z); positions 9-17 are the organisation code
  of GB 11714-1997 with its own check character; position 18 checks the first 17.
- Organisation code, GB 11714-1997: 8 characters and a check character (0-9 or X).
- Resident identity card number, GB 11643-1999: 17 digits (the 7th-14th a birth date)
  and an ISO 7064 MOD 11-2 check character (0-9 or X).
"""

from __future__ import annotations

import re
from datetime import date

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, ...
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_CODE_PATTERN = re.compile(r"^[0-9A-Z]{8}[0-9X]$")

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[0-9X]$")


def normalise(code: str) -> str:
    return code.strip().upper().replace(" ", "")


# ------------------------------------------------------------------ organisation code


def org_code_check_char(body: str) -> str:
    """The 9th character of an organisation code for its first 8."""
    total = sum(_org_value(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def is_valid_org_code(code: str) -> bool:
    code = normalise(code).replace("-", "")
    return bool(ORG_CODE_PATTERN.match(code)) and org_code_check_char(code[:8]) == code[8]


# ------------------------------------------------------------------ credit code


def uscc_check_char(body: str) -> str:
    """The 18th character of a unified social credit code for its first 17."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def credit_code_problems(code: str) -> list[str]:
    """Why `code` is not a valid unified social credit code (empty when it is)."""
    code = normalise(code)
    if len(code) != 18:
        return ["must be 18 characters"]
    if not USCC_PATTERN.match(code):
        return ["contains characters a credit code cannot have (I, O, S, V, Z, lower case)"]
    problems = []
    org_code = code[8:17]
    if not (ORG_CODE_PATTERN.match(org_code) and org_code_check_char(org_code[:8]) == org_code[8]):
        problems.append("the organisation code (characters 9-17) has a wrong check character")
    if uscc_check_char(code[:17]) != code[17]:
        problems.append("the check character (18th) does not match")
    return problems


def is_valid_credit_code(code: str) -> bool:
    return not credit_code_problems(code)


# ------------------------------------------------------------------ identity card


def id_check_char(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_number_problems(number: str) -> list[str]:
    """Why `number` is not a valid 18-digit resident identity card number."""
    number = normalise(number)
    if not ID_PATTERN.match(number):
        return ["must be 17 digits followed by a digit or X"]
    problems = []
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if born.year < 1900 or born > date.today():
            problems.append("the birth date is out of range")
    except ValueError:
        problems.append("characters 7-14 are not a birth date")
    if id_check_char(number[:17]) != number[17]:
        problems.append("the check character (18th) does not match")
    return problems


def is_valid_id_number(number: str) -> bool:
    return not id_number_problems(number)


def mask_id_number(number: str) -> str:
    """4107**********123X: region prefix and last four only."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_account(number: str) -> str:
    return "****" + number[-4:]
