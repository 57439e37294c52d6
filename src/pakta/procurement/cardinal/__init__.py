"""Open Contracting Partnership's Cardinal red-flag indicators (open-contracting/cardinal-rs),
computed in Python with the same inputs, settings file, exclusions, statistics and output.

``settings.parse_settings(text)`` reads Cardinal's ``.ini`` file; ``engine.run(releases,
settings, map=False)`` returns Cardinal's ``indicators`` JSON document as a dict."""

from pakta.procurement.cardinal.engine import Engine, run
from pakta.procurement.cardinal.settings import Settings, SettingsError, parse_settings

__all__ = ["Engine", "Settings", "SettingsError", "parse_settings", "run"]
