"""One settings object for every command and the API (environment variables prefixed REGIOGRAPH_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    """Settings that cannot be used; the message names the setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REGIOGRAPH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    store: Literal["neo4j", "memory"] = Field("neo4j", description="Graph store: neo4j or memory")
    neo4j_uri: str = Field("bolt://127.0.0.1:7687", description="Bolt URI of the Neo4j server")
    neo4j_user: str = Field("neo4j", description="Neo4j user")
    neo4j_password: str | None = Field(
        None, description="Neo4j password; generated into var/neo4j/password on first provisioning"
    )
    neo4j_database: str = Field("neo4j", description="Neo4j database name")
    neo4j_bolt_port: int = Field(7687, ge=1, le=65535, description="Bolt port of the local server")
    neo4j_http_port: int = Field(
        7474, ge=1, le=65535, description="HTTP port of the local server (Neo4j Browser, 127.0.0.1 only)"
    )
    neo4j_heap: str = Field("512m", pattern=r"^\d+[kmg]$", description="Heap size of the local server")
    neo4j_pagecache: str = Field(
        "128m", pattern=r"^\d+[kmg]$", description="Page cache of the local server (store kept in memory)"
    )
    neo4j_lib_dir: Path | None = Field(
        None, description="Cache of the server's jars (default var/neo4j/lib); shared by throwaway servers"
    )
    neo4j_connection_timeout: float = Field(
        1.5, gt=0, le=120, description="Seconds to wait for a connection to Neo4j before answering 503"
    )
    neo4j_retry_time: float = Field(
        0.0, ge=0, le=300, description="Seconds the driver may retry a failed read/write transaction"
    )
    neo4j_start_timeout: float = Field(120.0, gt=0, description="Seconds to wait for the server")
    runtime_dir: Path = Field(REPO_ROOT / "var", description="Git-ignored folder for server, store, outputs")
    corpus_dir: Path = Field(
        REPO_ROOT.parent / "shared" / "corpus" / "letters", description="Letters to ingest"
    )
    memory_store_path: Path | None = Field(
        None, description="File of the memory store (default var/graph.json)"
    )
    batch_size: int = Field(500, ge=1, le=100_000, description="Rows per UNWIND batch when writing Neo4j")
    base_iri: str = Field("https://regiograph.nl/id/", description="Base IRI of exported RDF resources")
    api_host: str = Field("127.0.0.1", description="Address the API binds to")
    api_port: int = Field(8000, ge=1, le=65535, description="Port the API binds to")
    api_key: str | None = Field(
        None, description="Key for write endpoints (header X-API-Key); none = writes off"
    )
    api_cache_entries: int = Field(
        2048, ge=0, le=1_000_000, description="Answers of read endpoints the API keeps (0: no cache)"
    )
    api_cache_megabytes: int = Field(64, ge=1, le=100_000, description="Memory the cached answers may take")
    api_revision_interval: float = Field(
        1.0,
        ge=0,
        le=60,
        description="Seconds the API trusts the graph revision it read before asking the store again (0: "
        "every request); a write through the API is seen by the next request either way, a write from "
        "another process (ingest, delete) within this time",
    )
    query_timeout: float = Field(10.0, gt=0, le=600, description="Seconds allowed for user Cypher/SPARQL")
    query_row_limit: int = Field(1000, ge=1, le=100_000, description="Rows returned by user Cypher/SPARQL")
    max_upload_bytes: int = Field(5_000_000, ge=1, description="Largest letter accepted by POST /letters")
    texts_dir: Path | None = Field(
        None, description="Plain-text renditions of ingested letters, for GET /letters/{id}/text"
    )
    # the official sources (regiograph fetch / sync); base URLs are settings so a mirror can stand in
    sources_dir: Path | None = Field(
        None, description="Corpus folder of fetched letters and their manifest (default var/sources)"
    )
    koop_sru_url: str = Field(
        "https://repository.overheid.nl/sru", description="KOOP SRU 2.0 search endpoint"
    )
    koop_repository_url: str = Field(
        "https://repository.overheid.nl/", description="Base URL the publications' files are fetched from"
    )
    fetch_delay: float = Field(1.0, ge=0, le=60, description="Seconds between two requests to a source")
    fetch_timeout: float = Field(30.0, gt=0, le=600, description="Seconds a source may take to answer")
    fetch_retries: int = Field(5, ge=0, le=20, description="Retries on 429, 5xx and timeouts, with backoff")
    fetch_max_bytes: int = Field(50_000_000, ge=1, description="Largest response accepted from a source")
    fetch_user_agent: str = Field(
        "RegioGraph/0.1 (+https://regiograph.nl; research on Dutch regional policy)",
        description="User-Agent sent to the sources",
    )

    @field_validator("koop_sru_url", "koop_repository_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("base_iri")
    @classmethod
    def _iri_ends_with_separator(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("must be an http(s) IRI ending in '/' or '#'")
        return value

    @field_validator("neo4j_uri")
    @classmethod
    def _bolt_uri(cls, value: str) -> str:
        if not value.startswith(("bolt://", "bolt+s://", "neo4j://", "neo4j+s://")):
            raise ValueError("must start with bolt:// or neo4j://")
        return value

    @property
    def neo4j_home(self) -> Path:
        return self.runtime_dir / "neo4j"

    @property
    def jar_dir(self) -> Path:
        return self.neo4j_lib_dir or self.neo4j_home / "lib"

    @property
    def password_file(self) -> Path:
        return self.neo4j_home / "password"

    @property
    def graph_file(self) -> Path:
        return self.memory_store_path or self.runtime_dir / "graph.json"

    @property
    def text_dir(self) -> Path:
        return self.texts_dir or self.runtime_dir / "texts"

    @property
    def source_dir(self) -> Path:
        return self.sources_dir or self.runtime_dir / "sources"

    def resolved_neo4j_password(self) -> str | None:
        """The configured password, else the one generated at first provisioning."""
        return read_password(self.neo4j_password, self.password_file)


def read_password(configured: str | None, password_file: Path) -> str | None:
    """The one rule for the Neo4j password: the configured one, else the generated file's."""
    if configured:
        return configured
    if password_file.exists():
        return password_file.read_text(encoding="utf-8").strip()
    return None


def load_settings(**overrides) -> Settings:
    """Build settings, turning validation errors into one readable message per setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"REGIOGRAPH_{name.upper()}: {err['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
