"""Which closed cases have passed the retention period and are due for delivery to the public
archives (Arkivloven; the archival version per BEK nr. 128 of 12 February 2020). Stemme removes
nothing itself: this lists what is due and whether an export of it has been made."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case
from records.models import FileStatus, PersonFile, Transfer


class Command(BaseCommand):
    help = (
        "List closed cases older than STEMME_RETENTION_YEARS, due for delivery to the public "
        "archives, and whether an export of each has been made. Nothing is removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="Only this municipality's code.")

    def handle(self, *args, municipality=None, **options):
        years = settings.STEMME_RETENTION_YEARS
        limit = timezone.localdate() - timedelta(days=365 * years)
        cases = Case.objects.filter(closed_on__isnull=False, closed_on__lte=limit)
        if municipality:
            cases = cases.filter(child__municipality__code=municipality)
        cases = cases.annotate(
            exported=Exists(
                PersonFile.objects.filter(
                    child_id=OuterRef("child_id"),
                    status__in=(FileStatus.REVIEW, FileStatus.RELEASED),
                )
            )
            | Exists(Transfer.objects.filter(child_id=OuterRef("child_id"), direction="out"))
        ).select_related("child__municipality")
        due = exported = 0
        for case in cases.order_by("closed_on").iterator():
            due += 1
            exported += case.exported
            state = "exported" if case.exported else "NOT exported: make an export first"
            self.stdout.write(
                f"{case.child.municipality.code} case {case.pk} (child {case.child_id}) "
                f"closed {case.closed_on}: {state}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{due} closed cases older than {years} years; {exported} exported. "
                "Stemme removes nothing; deliver them to the archives, then decide."
            )
        )
