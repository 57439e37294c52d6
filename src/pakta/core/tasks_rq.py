"""The Redis task backend with retries: a task whose worker process dies mid-task runs again.

RQ runs each job in a forked "work horse". When that process dies without finishing (killed by
the OOM killer, a deploy, ``kill -9``), RQ fails the job, or, when the job still has retries
left, puts it back on its queue at once, and another worker runs it. ``django-tasks-rq`` creates
its jobs without retries; this backend is its ``enqueue`` with ``retry=Retry(max=N)`` added
(``settings.PAKTA_TASK_RETRIES``). A retried task must be safe to run twice: the booklet build
starts again from the pacts and writes its document at the end; a task that is not (the HR
import refuses to run a job that is already running) ends as it did before.
``tests/core/test_run_scale.py`` kills a work horse mid-booklet and sees the booklet finish.
"""

from __future__ import annotations

from typing import Any

import django_rq
from django.conf import settings
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq import Retry
from rq.job import Callback, JobStatus


class RetryingRQBackend(RQBackend):
    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        task_result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=settings.PAKTA_TASK_RETRIES) if settings.PAKTA_TASK_RETRIES else None,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result
