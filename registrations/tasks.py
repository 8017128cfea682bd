"""Thin Celery tasks: they take primary keys and call the code that does the work."""

from celery import shared_task

from . import exports_jobs, personal_data, services


@shared_task(name="registrations.export_build", acks_late=True, ignore_result=True)
def export_build(job_id: int) -> str:
    return exports_jobs.export_job_build(job_id=job_id)


@shared_task(name="registrations.personal_data_retention", ignore_result=True)
def personal_data_retention() -> dict[str, int]:
    """Anonymise what has passed its retention period (every app's data; run by beat)."""
    return personal_data.retention_apply()


@shared_task(name="registrations.quotas_release_due", ignore_result=True)
def quotas_release_due() -> int:
    """Give the places of quotas past their release time to the waiting list (run by beat;
    safe to run twice)."""
    return len(services.quotas_release_due())
