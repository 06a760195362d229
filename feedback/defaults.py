"""Stemme's own default instruments, written for children (not the licensed ORS/SRS wording)."""

INSTRUMENTS = [
    {
        "key": "meeting",
        "name_da": "Mødet i dag",
        "name_en": "Today's meeting",
        "respondent": "child",
        "after_meeting": True,
        "items": [
            ("listened", "Jeg følte, at de lyttede til mig", "I felt listened to"),
            ("understood_next", "Jeg ved, hvad der skal ske nu", "I know what happens next"),
            ("had_say", "Jeg var med til at bestemme", "I had a say"),
            (
                "mattered",
                "Vi talte om det, der er vigtigt for mig",
                "We talked about what matters to me",
            ),
            ("overall", "Hvordan var mødet i dag?", "How was the meeting today?"),
        ],
    },
    {
        "key": "how_are_things",
        "name_da": "Hvordan går det?",
        "name_en": "How are things?",
        "respondent": "child",
        "after_meeting": False,
        "items": [
            ("me", "Hvordan har du det med dig selv?", "How do you feel about yourself?"),
            ("family", "Hvordan går det i din familie?", "How are things in your family?"),
            (
                "school",
                "Hvordan går det i skolen eller i institutionen?",
                "How are things at school or daycare?",
            ),
            ("friends", "Hvordan går det med dine venner?", "How are things with your friends?"),
            ("everything", "Hvordan går det alt i alt?", "How are things all in all?"),
        ],
    },
    {
        "key": "meeting_network",
        "name_da": "Mødet i dag (forælder eller netværk)",
        "name_en": "Today's meeting (parent or network)",
        "respondent": "network",
        "after_meeting": True,
        "items": [
            ("listened", "Jeg følte, at I lyttede til mig", "I felt listened to"),
            ("understood_next", "Jeg ved, hvad der skal ske nu", "I know what happens next"),
            ("had_say", "Jeg var med til at bestemme", "I had a say"),
            (
                "mattered",
                "Vi talte om det, der er vigtigt for barnet",
                "We talked about what matters for the child",
            ),
            ("overall", "Hvordan var mødet i dag?", "How was the meeting today?"),
        ],
    },
]


def ensure_default_instruments(Instrument, InstrumentVersion, Item) -> None:
    """Create Stemme's default instruments where they are missing (models passed in, so the
    migration can use its historical models)."""
    for data in INSTRUMENTS:
        instrument, created = Instrument.objects.get_or_create(
            municipality=None,
            key=data["key"],
            defaults={
                "name_da": data["name_da"],
                "name_en": data["name_en"],
                "respondent": data["respondent"],
                "after_meeting": data["after_meeting"],
            },
        )
        if not created:
            continue
        version = InstrumentVersion.objects.create(instrument=instrument, number=1)
        for position, (outcome, text_da, text_en) in enumerate(data["items"], start=1):
            Item.objects.create(
                version=version,
                position=position,
                outcome=outcome,
                text_da=text_da,
                text_en=text_en,
            )
