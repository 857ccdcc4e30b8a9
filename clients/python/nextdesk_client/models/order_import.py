from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OrderImport")


@_attrs_define
class OrderImport:
    """What an import of orders from CSV did (or, on a dry run, would do).

    Attributes:
        created (int): Orders created: every row's, or none
        dry_run (bool): True: checked only, nothing was created
        references (list[str]): The orders' references, in the file's order
        rows (int): Orders in the file
    """

    created: int
    dry_run: bool
    references: list[str]
    rows: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        dry_run = self.dry_run

        references = self.references

        rows = self.rows

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "dry_run": dry_run,
                "references": references,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created = d.pop("created")

        dry_run = d.pop("dry_run")

        references = cast(list[str], d.pop("references"))

        rows = d.pop("rows")

        order_import = cls(
            created=created,
            dry_run=dry_run,
            references=references,
            rows=rows,
        )

        order_import.additional_properties = d
        return order_import

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
