"""The five services: name, Python package, database schema and HTTP port, in one table."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.settings import Settings


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    schema: str
    port_setting: str

    def port(self, settings: Settings) -> int:
        return int(getattr(settings, self.port_setting))

    @property
    def app_factory(self) -> str:
        """`module:function` returning the service's ASGI app."""
        return f"{self.package}.app:create_app"


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("intake", "intake", "intake", "intake_port"),
    ServiceSpec("portal-monitor", "portal_monitor", "portal_monitor", "portal_monitor_port"),
    ServiceSpec("scoring", "scoring", "scoring", "scoring_port"),
    ServiceSpec("notifier", "notifier", "notifier", "notifier_port"),
    ServiceSpec("reporting", "reporting", "reporting", "reporting_port"),
)


def service(name: str) -> ServiceSpec:
    for spec in SERVICES:
        if name in (spec.name, spec.package):
            return spec
    raise KeyError(f"unknown service {name!r}; known: {', '.join(s.name for s in SERVICES)}")
