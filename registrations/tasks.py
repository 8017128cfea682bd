"""Thin Celery tasks: they take primary keys and call the code that does the work."""

from celery import shared_task

from . import exports_jobs


@shared_task(name="registrations.export_build", acks_late=True, ignore_result=True)
def export_build(job_id: int) -> str:
    return exports_jobs.export_job_build(job_id=job_id)
