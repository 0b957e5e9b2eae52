"""Helpers for the data API tests: uploads, file sources, syncs, waiting for jobs."""

from __future__ import annotations

from typing import Any

CATALOGUE = (
    "Product,Category,Price,Use\n"
    'Alpha Laptop,Laptop,"$1,299.00",Work\n'
    "Beta Laptop,Laptop,$899.50,Gaming\n"
    "Gamma Tablet,Tablet,$499.00,Work\n"
    "Delta Phone,Phone,$799.00,Travel\n"
)


def app_of(user: Any) -> Any:
    return user.client.app.state.keyvex


def wait_jobs(user: Any) -> None:
    app = app_of(user)
    user.client.portal.call(app.jobs.wait_idle, 30)  # type: ignore[attr-defined]


def upload(user: Any, text: str, name: str = "catalogue.csv") -> dict[str, Any]:
    response = user.post(f"/api/v1/data-sources/uploads?filename={name}", content=text.encode())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def file_source(user: Any, text: str = CATALOGUE) -> dict[str, Any]:
    info = upload(user, text)
    response = user.post(
        "/api/v1/data-sources",
        json={"name": "Catalogue", "source_type": "file",
              "config": {"blob_key": info["blob_key"], "filename": info["filename"]}},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def synced(user: Any, source_id: str) -> dict[str, Any]:
    response = user.post(f"/api/v1/data-sources/{source_id}/sync")
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    wait_jobs(user)
    job = user.get(f"/api/v1/data-sources/{source_id}/jobs/{job_id}").json()
    assert job["status"] == "done", job
    body: dict[str, Any] = user.get(f"/api/v1/data-sources/{source_id}").json()
    return body
