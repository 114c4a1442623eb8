"""The one translation table of the UI (French by default, English on request),
and the French/English number formats.

Feature labels are not restated here: they come from the modelling package's
feature spec, the single source of truth for the five variables.
"""

from __future__ import annotations

from functools import cache

from modeling.features import FEATURES

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

# key: (français, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("Éligibilité crédit", "Credit eligibility"),
    "app.tagline": ("Tableau de bord des conseillers", "Advisor dashboard"),
    "nav.clients": ("Clients", "Clients"),
    "nav.model": ("Modèle", "Model"),
    "nav.rgpd": ("RGPD", "GDPR"),
    "nav.admin": ("Administration", "Administration"),
    "nav.logout": ("Se déconnecter", "Log out"),
    "nav.language": ("English", "Français"),
    "nav.language_label": ("Passer en anglais", "Switch to French"),
    "role.advisor": ("Conseiller", "Advisor"),
    "role.supervisor": ("Superviseur", "Supervisor"),
    "role.admin": ("Administrateur", "Administrator"),
    "login.title": ("Connexion", "Sign in"),
    "login.subtitle": (
        "Réservé aux conseillers de la banque.", "For the bank's advisors only."),
    "login.email": ("Adresse e-mail professionnelle", "Work e-mail address"),
    "login.password": ("Mot de passe", "Password"),
    "login.submit": ("Se connecter", "Sign in"),
    "login.invalid_credentials": (
        "E-mail ou mot de passe incorrect.", "Incorrect e-mail or password."),
    "login.locked": (
        "Compte verrouillé après trop d'échecs. Réessayez dans 15 minutes.",
        "Account locked after too many failures. Try again in 15 minutes."),
    "login.missing_fields": (
        "Saisissez votre e-mail et votre mot de passe.", "Enter your e-mail and password."),
    "login.session_expired": (
        "Votre session a expiré. Reconnectez-vous.", "Your session has expired. Sign in again."),
    "clients.title": ("Portefeuille clients", "Client portfolio"),
    "clients.count": ("clients", "clients"),
    "clients.id": ("Identifiant pseudonyme", "Pseudonymous id"),
    "clients.probability": ("Probabilité de défaut", "Probability of default"),
    "clients.recommendation": ("Recommandation", "Recommendation"),
    "clients.data_as_of": ("Données au", "Data as of"),
    "clients.empty": ("Aucun client ne correspond.", "No client matches."),
    "clients.previous": ("Précédent", "Previous"),
    "clients.next": ("Suivant", "Next"),
    "clients.page": ("Page", "Page"),
    "clients.not_scored": ("Non scoré", "Not scored"),
    "clients.stale": ("Données anciennes", "Stale data"),
    "clients.age": ("Âge", "Age"),
    "clients.income": ("Revenu", "Income"),
    "clients.incidents": ("Incidents", "Incidents"),
    "clients.risk_band": ("Classe de risque", "Risk band"),
    "clients.open": ("Ouvrir la fiche", "Open the client"),
    "clients.load_failed": (
        "Le portefeuille n'a pas pu être chargé. Réessayez.",
        "The portfolio could not be loaded. Try again."),
    "filters.title": ("Filtres", "Filters"),
    "filters.apply": ("Appliquer", "Apply"),
    "filters.reset": ("Réinitialiser", "Reset"),
    "filters.any": ("Toutes", "Any"),
    "filters.search": ("Rechercher un identifiant", "Search an id"),
    "filters.search_placeholder": ("ex. 3f2a9c", "e.g. 3f2a9c"),
    "filters.prob_min": ("Probabilité min. (%)", "Min. probability (%)"),
    "filters.prob_max": ("Probabilité max. (%)", "Max. probability (%)"),
    "filters.age_min": ("Âge min.", "Min. age"),
    "filters.age_max": ("Âge max.", "Max. age"),
    "filters.income_min": ("Revenu min. (€)", "Min. income (€)"),
    "filters.income_max": ("Revenu max. (€)", "Max. income (€)"),
    "filters.incidents_min": ("Incidents min.", "Min. incidents"),
    "filters.incidents_max": ("Incidents max.", "Max. incidents"),
    "filters.stale": ("Données anciennes seulement", "Stale data only"),
    "filters.mine": ("Mes clients seulement", "My clients only"),
    "filters.error.number": ("Saisissez un nombre.", "Enter a number."),
    "filters.error.range": ("Valeur hors de la plage autorisée.", "Value outside the allowed range."),
    "filters.error.order": ("Le maximum est inférieur au minimum.", "The maximum is below the minimum."),
    "filters.error.choice": ("Choix inconnu.", "Unknown choice."),
    "sort.label": ("Trier par", "Sort by"),
    "sort.probability": ("Probabilité de défaut", "Probability of default"),
    "sort.age": ("Âge", "Age"),
    "sort.income": ("Revenu", "Income"),
    "sort.credit_score": ("Score de crédit", "Credit score"),
    "sort.payment_incidents": ("Incidents", "Incidents"),
    "sort.data_as_of": ("Ancienneté des données", "Data age"),
    "common.loading": ("Chargement…", "Loading…"),
    "recommendation.eligible": ("Éligible", "Eligible"),
    "recommendation.review": ("À examiner", "Review"),
    "recommendation.not_eligible": ("Non éligible", "Not eligible"),
    "error.generic": (
        "Une erreur est survenue. Réessayez ou contactez le support.",
        "Something went wrong. Try again or contact support."),
    "error.not_found": ("Page introuvable", "Page not found"),
}


def _feature_messages() -> dict[str, tuple[str, str]]:
    return {f"feature.{f.name}": (f.label_fr, f.label_en) for f in FEATURES}


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every UI string in one language (unknown languages fall back to French)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    messages = MESSAGES | _feature_messages()
    return {key: texts[index] for key, texts in messages.items()}


def translate(key: str, lang: str) -> str:
    return catalog(lang).get(key, key)


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234,56 in French (narrow no-break space for thousands), 1,234.56 in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_money(value: float, lang: str, decimals: int = 0) -> str:
    number = format_number(value, lang, decimals)
    return f"{number}\u00a0€" if lang == "fr" else f"€{number}"


def format_percent(fraction: float, lang: str, decimals: int = 1) -> str:
    number = format_number(fraction * 100, lang, decimals)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"


def format_date(value, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()[:10]
