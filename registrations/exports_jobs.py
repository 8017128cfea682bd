"""Building a large export in a worker, with its progress recorded on the job row."""

import tempfile
from datetime import datetime, timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from . import exports, selectors, services
from .models import ExportJob

#: A job still queued this long after it was made lost its task (the broker was away):
#: its progress page offers to start it again.
RESTART_AFTER = timedelta(minutes=1)


def filters_from_query(query: dict) -> selectors.ParticipantFilter:
    return selectors.ParticipantFilter(
        search=query.get("search", ""),
        statuses=list(query.get("statuses", [])),
        organisation=query.get("organisation"),
        country=query.get("country", ""),
        role=query.get("role", ""),
        workshop=query.get("workshop"),
        answers={int(k): v for k, v in query.get("answers", {}).items()},
        sort=query.get("sort", "name"),
        descending=bool(query.get("descending")),
    )


def export_job_build(*, job_id: int) -> str:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state not in (ExportJob.State.QUEUED,):
            return "skipped"  # already built, or being built: safe to run twice
        job.state = ExportJob.State.RUNNING
        job.save(update_fields=["state"])
    # Permission was decided when the job was made; decide it again for this worker.
    access = selectors.workspace_access(user=job.requested_by, event=job.event)
    if access is None:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error="access withdrawn"
        )
        return "failed"
    registrations = selectors.participant_list(
        access=access, event=job.event, filters=filters_from_query(job.query)
    )
    columns = exports.choose_columns(job.event, job.columns, sensitive=access.sees_sensitive_data)

    # Progress is recorded at each tenth of the total (counted when the job was made):
    # nine UPDATEs (the last one marks the job done) whatever the size from ten rows on,
    # so that the job's query count does not grow with the number of rows either.
    marks = {-(-job.total * tenth // 10) for tenth in range(1, 10)} - {0}

    def progress(done: int) -> None:
        if done in marks:
            ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as target:
            if job.format == "xlsx":
                exports.xlsx_write(
                    registrations,
                    columns,
                    target,
                    title=pgettext("sheet name", "Participants"),
                    progress=progress,
                )
                suffix = "xlsx"
            else:
                stream = exports.csv_stream(
                    registrations, columns, semicolon=job.format == "csv-semicolon"
                )
                for count, chunk in enumerate(stream, start=-1):  # BOM and header first
                    target.write(chunk.encode("utf-8"))
                    progress(count)
                suffix = "csv"
            target.seek(0)
            job.file.save(f"{job.event.slug}-{job.uuid}.{suffix}", File(target), save=False)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(error)[:1000]
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        done=job.total,
        finished_at=timezone.now(),
    )
    return "done"


def export_job_waits_too_long(job: ExportJob, *, now: datetime | None = None) -> bool:
    """Still queued ``RESTART_AFTER`` after it was made: no worker has its task."""
    waited = (now or timezone.now()) - job.created_at
    return job.state == ExportJob.State.QUEUED and waited.total_seconds() > (
        RESTART_AFTER.total_seconds()
    )


def export_job_restart(*, job: ExportJob) -> bool:
    """Hand a job that waits too long to the workers again; False if it does not wait
    (a job already being built or built is not started twice)."""
    if not export_job_waits_too_long(job):
        return False
    services.export_job_enqueue(job.pk)
    return True
