"""Lookup: the catalogue in one language, with the domain's labels and quoted rules filled in."""

from __future__ import annotations

from collections.abc import Mapping

from modeling.features import FEATURES
from neobank_dashboard.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES
from neobank_dashboard.i18n.letter_catalog import LETTER_MESSAGES

Labels = Mapping[str, tuple[str, str]]  # key -> (français, English)


class _KeepUnknown(dict):
    """Leaves placeholders filled at display time ({base}, {threshold}...) untouched."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """Every UI string in each language.

    ``labels`` adds the texts whose single source is the domain (risk bands...);
    ``values`` are the numbers some texts quote ({min_justification}...), read by the
    caller from the rules themselves so that no text restates them. Feature labels
    come from the feature spec.
    """

    def __init__(self, labels: Labels | None = None, values: Mapping[str, object] | None = None):
        features = {f"feature.{f.name}": (f.label_fr, f.label_en) for f in FEATURES}
        messages = MESSAGES | LETTER_MESSAGES | features | dict(labels or {})
        quoted = _KeepUnknown(values or {})
        self._texts = {
            lang: {
                key: texts[index].format_map(quoted) if "{" in texts[index] else texts[index]
                for key, texts in messages.items()
            }
            for index, lang in enumerate(LANGUAGES)
        }

    def texts(self, lang: str) -> dict[str, str]:
        """Every string in ``lang`` (unknown languages fall back to French)."""
        return self._texts.get(lang, self._texts[DEFAULT_LANGUAGE])

    def translate(self, key: str, lang: str) -> str:
        return self.texts(lang).get(key, key)
