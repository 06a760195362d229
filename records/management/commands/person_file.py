"""Make a person's own file now (without the background worker) and write the package."""

import shutil

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from records import services
from records.management.operator import actor_and_child
from records.person_file import render


class Command(BaseCommand):
    help = (
        "Make a person's own file (PDF, JSON and original files in one zip) on their behalf and "
        "write it to --out. It is logged, and left for review in Stemme like any other."
    )

    def add_arguments(self, parser):
        parser.add_argument("--child", type=int, required=True, help="The person's id in Stemme.")
        parser.add_argument("--by", required=True, help="Username of the staff member asking.")
        parser.add_argument("--out", required=True, help="The zip file to write.")

    def handle(self, *args, child, by, out, **options):
        actor, person = actor_and_child(by, child, what="person")
        try:
            made = services.person_file_request(actor=actor, child=person)
        except PermissionDenied as refused:
            raise CommandError("Only caseworkers and leaders can ask for a file.") from refused
        render(made)
        with made.package.open("rb") as source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the file of {person.pk} to {out}: {made.pages} pages, "
                f"{made.withheld} withheld. Review and release it in Stemme before handing it over."
            )
        )
