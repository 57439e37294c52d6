# Indonesian formats: "26 Maret 2024", "Rp1.250.000", 1.250,5
DATE_FORMAT = "j F Y"
# The zone is always named (WIB, WITA, WIT): see pakta.core.zone.
DATETIME_FORMAT = "j F Y H.i T"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i T"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H.i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
