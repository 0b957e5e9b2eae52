"""The shapes the tools API answers with, as response models for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from keyvex.web.api_models import ApiModel


class ToolSummaryOut(ApiModel):
    id: str
    title: str
    kind: str = Field(description="calculator, quiz or assessment.")
    status: str = Field(description="draft or published.")
    slug: str | None = Field(description="The public address /t/{slug}, once published.")
    version: int = Field(description="The current version.")
    published_version: int | None
    allowed_origins: list[str] = Field(description="Sites allowed to embed it; empty: any.")
    created_at: str
    updated_at: str
    archived: bool
    archived_at: str | None
    data_notice: str | None = Field(description="Why the live page kept older data, if so.")


class ToolOut(ToolSummaryOut):
    definition: dict[str, Any] = Field(description="The ToolDefinition (`keyvex schema`).")


class ToolListOut(ApiModel):
    tools: list[ToolSummaryOut]


class ExportOut(ApiModel):
    format: str
    format_version: int
    exported_at: str
    definition: dict[str, Any] = Field(description="The ToolDefinition (`keyvex schema`).")


class VersionOut(ApiModel):
    number: int
    created_at: str
    author_id: str
    note: str


class VersionListOut(ApiModel):
    versions: list[VersionOut] = Field(description="Newest first.")


class LeftOffOut(ApiModel):
    code: str = Field(description="Why: placeholder_link (a button still links to example.com).")
    field: str = Field(description="The definition's field that fixes it: results[4].url.")
    message: str = Field(description="What visitors will not see, in one sentence.")
    edit_url: str = Field(description="The tool editor, opened at that field.")


class PublishedOut(ApiModel):
    slug: str
    url: str = Field(description="The public page.")
    version: int = Field(description="The version now live.")
    allowed_origins: list[str]
    left_off: list[LeftOffOut] = Field(
        description="What the public page leaves out until it is fixed (publishing goes ahead)."
    )


class StatusOut(ApiModel):
    status: str


class TemplateOut(ApiModel):
    id: str
    title: str
    kind: str
    description: str
    tags: list[str]


class TemplateListOut(ApiModel):
    templates: list[TemplateOut]
