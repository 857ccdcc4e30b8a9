"""API keys: who may read and write what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import AwareDatetime
from app.models.flow import KEY_PATTERN
from app.models.types import UTCDateTime


class Role(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    TECHNICIAN = "technician"
    INTEGRATION = "integration"
    VIEWER = "viewer"


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = SQLField(primary_key=True, max_length=32)
    name: str = SQLField(max_length=200)
    role: str = SQLField(max_length=16)
    departments: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    # Only a SHA-256 of the secret is kept: the secret has 256 random bits, so no slow hash is needed.
    secret_hash: str = SQLField(max_length=64, unique=True)
    prefix: str = SQLField(max_length=16)
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    expires_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    departments: list[str] = Field(default_factory=list, max_length=50)
    expires_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _departments_for_technicians(self) -> ApiKeyCreate:
        import re

        for dep in self.departments:
            if not re.match(KEY_PATTERN, dep):
                raise ValueError(
                    f"department '{dep}' is not a valid key (lower-case letters, digits, _ and -)"
                )
        if self.role is Role.TECHNICIAN and not self.departments:
            raise ValueError("a technician key needs at least one department")
        if self.role not in (Role.TECHNICIAN, Role.INTEGRATION) and self.departments:
            raise ValueError("only technician and integration keys are bound to departments")
        return self


class ApiKeyPublic(BaseModel):
    id: str
    name: str
    role: Role
    departments: list[str]
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    secret: str = Field(description="Shown once; only a hash is kept")
