"""What a tool's public page leaves out, told to the creator when they publish.

Publishing is not refused for these (the page works without them); the creator is told in
plain words what visitors will not see, and given a link to the editor field that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from keyvex.tools.definition import ToolDefinition
from keyvex.tools.results import CtaBlock, placeholder_host


@dataclass(frozen=True, slots=True)
class LeftOff:
    """One part the public page leaves out: why, and the editor field that fixes it."""

    code: str
    what: str  # what is left off, as the creator named it: "the 'Book a call' button"
    path: str  # as verification reports it: "results[4].url"
    field: str  # the editor's field path: "results.4.url"
    message: str

    def edit_path(self, tool_id: str) -> str:
        """The editor, opened at the field that fixes this."""
        return f"/dashboard/tools/{tool_id}/edit#field={self.field}"


def left_off(definition: ToolDefinition) -> list[LeftOff]:
    """Call-to-action buttons still linking to a placeholder (example.com, .test ...): the
    public page and the server's result leave them out (``keyvex.engine``, ``keyvex.public``)."""
    found: list[LeftOff] = []
    for index, block in enumerate(definition.results):
        host = placeholder_host(block.url) if isinstance(block, CtaBlock) else None
        if isinstance(block, CtaBlock) and host is not None:
            message = (
                f"Your '{block.label}' button links to {host}, so it is left off the public "
                "page until you give it a real link."
            )
            what, path = f"the '{block.label}' button", f"results[{index}].url"
            found.append(LeftOff("placeholder_link", what, path, f"results.{index}.url", message))
    return found
