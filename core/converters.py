"""URL converters. An `id` is a database primary key: 1 to 18 digits, so a forged id that no
database integer can hold is simply not found (404) instead of overflowing the driver."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
