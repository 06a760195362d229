"""Background tasks of the records: make the person's own file."""

from django_tasks import task

from records.models import FileStatus, PersonFile


@task()
def render_person_file(person_file_id: int) -> bool:
    from records.person_file import render

    person_file = PersonFile.objects.filter(pk=person_file_id).first()
    if person_file is None or person_file.status == FileStatus.RELEASED:
        return False
    try:
        render(person_file)
    except Exception:
        person_file.status = FileStatus.FAILED
        person_file.save(update_fields=["status"])
        raise
    return True
