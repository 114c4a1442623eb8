"""The FR/EN message catalogue of the UI: every label, key -> (français, English).

Feature labels are not restated here: they come from the modelling package's
feature spec, the single source of truth for the five variables. Texts quoting a
rule ({min_justification}, ...) get its value from the rule itself, passed to
:class:`neobank_dashboard.i18n.translate.Catalogue`.
"""

from __future__ import annotations

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
    "nav.monitoring": ("Surveillance", "Monitoring"),
    "nav.logout": ("Se déconnecter", "Log out"),
    "nav.skip": ("Aller au contenu", "Skip to content"),
    "nav.language": ("English", "Français"),
    "nav.language_label": ("Passer en anglais", "Switch to French"),
    "role.advisor": ("Conseiller", "Advisor"),
    "role.supervisor": ("Superviseur", "Supervisor"),
    "role.admin": ("Administrateur", "Administrator"),
    "login.title": ("Connexion", "Sign in"),
    "login.subtitle": ("Réservé aux conseillers de la banque.", "For the bank's advisors only."),
    "login.email": ("Adresse e-mail professionnelle", "Work e-mail address"),
    "login.password": ("Mot de passe", "Password"),
    "login.submit": ("Se connecter", "Sign in"),
    "login.invalid_credentials": (
        "E-mail ou mot de passe incorrect. Après {free_failures} échecs, chaque essai doit "
        "attendre un peu plus longtemps (jusqu'à {max_login_delay_minutes} minutes).",
        "Incorrect e-mail or password. After {free_failures} failures, each attempt must "
        "wait a little longer (up to {max_login_delay_minutes} minutes).",
    ),
    "login.password_too_long": (
        "Mot de passe trop long : aucun mot de passe ne dépasse {max_password} caractères.",
        "Password too long: no password exceeds {max_password} characters.",
    ),
    "login.throttled": (
        "Trop de tentatives depuis cette adresse. Patientez une minute avant de réessayer.",
        "Too many attempts from this address. Wait a minute before trying again.",
    ),
    "login.missing_fields": (
        "Saisissez votre e-mail et votre mot de passe.",
        "Enter your e-mail and password.",
    ),
    "login.session_expired": (
        "Votre session a expiré. Reconnectez-vous.",
        "Your session has expired. Sign in again.",
    ),
    "clients.title": ("Portefeuille clients", "Client portfolio"),
    "clients.count": ("client|clients", "client|clients"),
    # Past services.clients.COUNT_CAP the portfolio is not counted exactly (too dear).
    "clients.count_capped": ("plus de {count}\u00a0clients", "more than {count}\u00a0clients"),
    "clients.admin_refused": (
        "L'administration est réservée aux superviseurs et aux administrateurs : vous avez été "
        "redirigé vers vos clients.",
        "Administration is for supervisors and administrators: you were brought back to your clients.",
    ),
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
    "clients.income": ("Revenu annuel", "Annual income"),
    "clients.incidents": ("Incidents", "Incidents"),
    "clients.risk_band": ("Classe de risque", "Risk band"),
    "clients.open": ("Ouvrir la fiche", "Open the client"),
    "clients.load_failed": (
        "Le portefeuille n'a pas pu être chargé. Réessayez.",
        "The portfolio could not be loaded. Try again.",
    ),
    "filters.title": ("Filtres", "Filters"),
    "filters.apply": ("Appliquer", "Apply"),
    "filters.reset": ("Réinitialiser", "Reset"),
    "filters.any": ("Toutes", "Any"),
    "filters.advanced": (
        "Filtres par plage (probabilité, âge, revenu, incidents)",
        "Range filters (probability, age, income, incidents)",
    ),
    "filters.id_prefix": ("Rechercher un identifiant", "Search an id"),
    "filters.search_placeholder": ("ex. 3f2a9c", "e.g. 3f2a9c"),
    "filters.probability_min": ("Probabilité min. (%)", "Min. probability (%)"),
    "filters.probability_max": ("Probabilité max. (%)", "Max. probability (%)"),
    "filters.age_min": ("Âge min.", "Min. age"),
    "filters.age_max": ("Âge max.", "Max. age"),
    "filters.income_min": ("Revenu annuel min. (€)", "Min. annual income (€)"),
    "filters.income_max": ("Revenu annuel max. (€)", "Max. annual income (€)"),
    "filters.incidents_min": ("Incidents min.", "Min. incidents"),
    "filters.incidents_max": ("Incidents max.", "Max. incidents"),
    "filters.stale_only": ("Données anciennes seulement", "Stale data only"),
    "filters.mine_only": ("Mes clients seulement", "My clients only"),
    "filters.error.number": ("Saisissez un nombre.", "Enter a number."),
    "filters.error.range": (
        "Valeur hors de la plage autorisée : entre {low} et {high}.",
        "Value outside the allowed range: between {low} and {high}.",
    ),
    "filters.error.fix": (
        "Corrigez les champs signalés pour afficher les clients.",
        "Correct the fields marked to show the clients.",
    ),
    "filters.risk_band": ("Classe de risque (lien)", "Risk band (link)"),
    "filters.error.order": ("Le maximum est inférieur au minimum.", "The maximum is below the minimum."),
    "filters.error.choice": ("Choix inconnu.", "Unknown choice."),
    "filters.error.id_prefix": (
        "Chiffres hexadécimaux et tirets seulement.",
        "Hexadecimal digits and dashes only.",
    ),
    "sort.label": ("Trier par", "Sort by"),
    "sort.probability": ("Probabilité de défaut", "Probability of default"),
    "sort.age": ("Âge", "Age"),
    "sort.income": ("Revenu", "Income"),
    "sort.credit_score": ("Score de crédit", "Credit score"),
    "sort.payment_incidents": ("Incidents", "Incidents"),
    "sort.data_as_of": ("Ancienneté des données", "Data age"),
    "common.loading": ("Chargement…", "Loading…"),
    "common.yes": ("oui", "yes"),
    "common.no": ("non", "no"),
    "recommendation.eligible": ("Éligible", "Eligible"),
    "recommendation.review": ("À examiner", "Review"),
    "recommendation.not_eligible": ("Non éligible", "Not eligible"),
    "rgpd.title": (
        "Protection des données (RGPD) : le guide du conseiller",
        "Data protection (GDPR): the advisor's guide",
    ),
    "rgpd.intro": (
        "Ce tableau de bord traite des données personnelles pour évaluer l'éligibilité au "
        "crédit. Le scoring de crédit des personnes physiques est un système d'IA à haut risque "
        "(AI Act, annexe III). Voici les règles que le logiciel applique et ce que vous devez "
        "faire.",
        "This dashboard processes personal data to assess credit eligibility. Credit scoring of "
        "natural persons is a high-risk AI system (AI Act, Annex III). Here are the rules the "
        "software applies and what you must do.",
    ),
    "rgpd.purposes.title": ("Finalités et base légale", "Purposes and legal basis"),
    "rgpd.purposes.body": (
        "Finalité : évaluer le risque de défaut avant l'octroi d'un crédit et documenter la "
        "décision. Base légale : mesures précontractuelles à la demande du client (art. 6.1.b) "
        "et obligation légale d'évaluer la solvabilité (directive 2023/2225, art. L312-16 du "
        "code de la consommation). Aucune autre utilisation (marketing, revente) n'est permise.",
        "Purpose: assess the risk of default before granting credit and document the decision. "
        "Legal basis: pre-contractual steps at the client's request (Art. 6(1)(b)) and the legal "
        "duty to assess creditworthiness (Directive 2023/2225, French Consumer Code L312-16). No "
        "other use (marketing, resale) is allowed.",
    ),
    "rgpd.variables.title": ("Cinq variables, et pas une de plus", "Five variables, and no more"),
    "rgpd.variables.never": (
        "Jamais collectés : nom, adresse, e-mail, téléphone, IBAN, numéro d'identification, "
        "nationalité, sexe, situation familiale, santé ou toute donnée sensible (art. 9).",
        "Never collected: name, address, e-mail, phone, IBAN, national id number, nationality, "
        "sex, family status, health or any special-category data (Art. 9).",
    ),
    "rgpd.pseudonym.title": ("Pseudonymisation", "Pseudonymisation"),
    "rgpd.pseudonym.body": (
        "Chaque client est un identifiant aléatoire (UUID v4). La correspondance avec l'identité "
        "reste dans le système bancaire principal, hors de cette application. Ne copiez jamais "
        "un nom ou une donnée d'identité dans un commentaire de décision.",
        "Each client is a random identifier (UUID v4). The link to the identity stays in the "
        "core banking system, outside this application. Never copy a name or identity data into "
        "a decision note.",
    ),
    "rgpd.retention.title": (
        "Durées de conservation (appliquées par le logiciel)",
        "Retention periods (enforced by the software)",
    ),
    "rgpd.retention.category": ("Données", "Data"),
    "rgpd.retention.duration": ("Durée", "Duration"),
    "rgpd.retention.trigger": ("Point de départ", "Counted from"),
    "rgpd.retention.basis": ("Fondement", "Basis"),
    "rgpd.retention.days": ("jours", "days"),
    "rgpd.rights.title": (
        "Droits des personnes et comment les traiter",
        "Data-subject rights and how to handle them",
    ),
    "rgpd.right.access": ("Accès (art. 15)", "Access (Art. 15)"),
    "rgpd.right.access.how": (
        "Un superviseur exporte toutes les données du client en JSON depuis cette page.",
        "A supervisor exports all of the client's data as JSON from this page.",
    ),
    "rgpd.right.rectification": ("Rectification (art. 16)", "Rectification (Art. 16)"),
    "rgpd.right.rectification.how": (
        "Un superviseur corrige la variable : le client est rescoré, l'ancien score est "
        "remplacé et toute décision en attente est signalée pour réexamen.",
        "A supervisor corrects the variable: the client is rescored, the old score superseded "
        "and any pending decision flagged for review.",
    ),
    "rgpd.right.erasure": ("Effacement (art. 17)", "Erasure (Art. 17)"),
    "rgpd.right.erasure.how": (
        "Le client quitte immédiatement les listes et le scoring ; ses données sont détruites "
        "physiquement à la fin de l'obligation légale de conservation.",
        "The client leaves lists and scoring at once; the data is physically destroyed at the "
        "end of the legal retention duty.",
    ),
    "rgpd.right.restriction": ("Limitation (art. 18)", "Restriction (Art. 18)"),
    "rgpd.right.restriction.how": (
        "Le client est retiré des listes et du scoring mais ses données sont conservées.",
        "The client is removed from lists and scoring but the data is kept.",
    ),
    "rgpd.right.objection": ("Opposition (art. 21)", "Objection (Art. 21)"),
    "rgpd.right.objection.how": (
        "Le client n'est plus scoré automatiquement (les rescorings par lot l'ignorent et le "
        "journalisent) : un conseiller l'évalue manuellement.",
        "The client is no longer scored automatically (batch rescoring skips and logs it): an "
        "advisor assesses the client manually.",
    ),
    "rgpd.right.human": (
        "Intervention humaine et explication (art. 22, AI Act art. 86)",
        "Human review and explanation (Art. 22, AI Act Art. 86)",
    ),
    "rgpd.right.human.how": (
        "Le modèle recommande, vous décidez. Chaque score vient avec ses raisons, que vous "
        "pouvez expliquer au client. Tout refus et toute décision contraire à la recommandation "
        "exigent une justification écrite.",
        "The model recommends, you decide. Every score comes with its reasons, which you can "
        "explain to the client. Every refusal and every decision against the recommendation "
        "requires a written justification.",
    ),
    "rgpd.security.title": ("Mesures de sécurité", "Security measures"),
    "rgpd.security.body": (
        "Mots de passe hachés en argon2id, attente croissante après {free_failures} échecs, "
        "sessions de {session_hours} heures, "
        "accès limité à votre portefeuille, journal d'audit chaîné par hachage de chaque accès "
        "et décision, chiffrement TLS en production, aucun score automatique si le modèle n'est "
        "pas vérifié.",
        "Passwords hashed with argon2id, growing wait after {free_failures} failures, "
        "{session_hours}-hour sessions, access limited "
        "to your portfolio, hash-chained audit log of every access and decision, TLS in "
        "production, no automatic score unless the model is verified.",
    ),
    "rgpd.contact.title": ("Contact protection des données", "Data-protection contact"),
    "rgpd.contact.body": (
        "Délégué à la protection des données : dpo@neobank.example. Signalez sans délai toute "
        "violation de données suspectée (72 heures pour notifier la CNIL).",
        "Data protection officer: dpo@neobank.example. Report any suspected data breach "
        "immediately (72 hours to notify the CNIL).",
    ),
    "rgpd.trigger.event_date": ("date de l'événement", "event date"),
    "rgpd.trigger.relationship_end": ("fin de la relation", "end of the relationship"),
    "rgpd.trigger.observation_date": ("date de l'incident", "incident date"),
    "rgpd.trigger.last_contact": ("dernier contact", "last contact"),
    "rgpd.trigger.model_retired": ("retrait du modèle", "model retirement"),
    "admin.title": ("Administration", "Administration"),
    "admin.accounts": ("Comptes conseillers", "Advisor accounts"),
    "admin.audit": ("Journal d'audit", "Audit log"),
    "admin.purge": ("Purge de conservation", "Retention purge"),
    "admin.email": ("E-mail", "E-mail"),
    "admin.full_name": ("Nom complet", "Full name"),
    "admin.password": ("Mot de passe initial", "Initial password"),
    "admin.role": ("Rôle", "Role"),
    "admin.status": ("État", "Status"),
    "admin.active": ("Actif", "Active"),
    "admin.inactive": ("Désactivé", "Deactivated"),
    "admin.locked": ("En attente après échecs", "Waiting after failures"),
    "admin.create": ("Créer le compte", "Create the account"),
    "admin.created": ("Compte créé.", "Account created."),
    "admin.deactivate": ("Désactiver", "Deactivate"),
    "admin.activate": ("Réactiver", "Reactivate"),
    "admin.unlock": ("Déverrouiller", "Unlock"),
    "admin.saved": ("Modification enregistrée.", "Change saved."),
    "admin.actions": ("Actions", "Actions"),
    "admin.confirm.title": ("Confirmer la modification", "Confirm the change"),
    "admin.confirm.role": (
        "Donner le rôle « {role} » au compte {email} ?",
        "Give the account {email} the role “{role}”?",
    ),
    "admin.confirm.deactivate": (
        "Désactiver le compte {email} ? Il ne pourra plus se connecter.",
        "Deactivate the account {email}? They will no longer be able to sign in.",
    ),
    "admin.confirm.ok": ("Confirmer", "Confirm"),
    "admin.confirm.cancel": ("Annuler", "Cancel"),
    "admin.error.invalid_email": ("Adresse e-mail invalide.", "Invalid e-mail address."),
    "admin.error.required": ("Champ obligatoire.", "Required field."),
    "admin.error.too_short": ("Au moins {min_password} caractères.", "At least {min_password} characters."),
    "admin.error.too_long": ("Au plus {max_password} caractères.", "At most {max_password} characters."),
    "admin.error.too_easy_to_guess": (
        "Mot de passe trop facile à deviner (mot de passe courant, répétition, suite, ou nom et "
        "e-mail du compte). Une phrase de plusieurs mots inattendus est plus sûre.",
        "Password too easy to guess (a common password, a repeat, a sequence, or the account's "
        "name or e-mail). A phrase of several unexpected words is safer.",
    ),
    "admin.error.last_admin": (
        "C'est le dernier administrateur actif : nommez-en un autre d'abord.",
        "This is the last active administrator: appoint another one first.",
    ),
    "admin.error.already_exists": (
        "Un compte existe déjà avec cet e-mail.",
        "An account with this e-mail already exists.",
    ),
    "admin.error.invalid_role": ("Rôle inconnu.", "Unknown role."),
    "admin.error.forbidden": (
        "Refusé : votre rôle ne le permet pas (jamais sur un rôle supérieur au vôtre).",
        "Refused: your role does not allow it (never on a role above yours).",
    ),
    "admin.error.not_found": ("Compte introuvable.", "Account not found."),
    "admin.error.cannot_deactivate_self": (
        "Vous ne pouvez pas désactiver votre propre compte.",
        "You cannot deactivate your own account.",
    ),
    "admin.error.cannot_change_own_role": (
        "Vous ne pouvez pas changer votre propre rôle.",
        "You cannot change your own role.",
    ),
    "audit.when": ("Date (UTC)", "Date (UTC)"),
    "audit.actor": ("Acteur", "Actor"),
    "audit.action": ("Action", "Action"),
    "audit.object": ("Objet", "Object"),
    "audit.outcome": ("Résultat", "Outcome"),
    "audit.request": ("Requête", "Request"),
    "audit.all_actions": ("Toutes les actions", "All actions"),
    "audit.all_outcomes": ("Tous les résultats", "All outcomes"),
    "audit.filter_actor": ("Acteur (ex. advisor:3)", "Actor (e.g. advisor:3)"),
    "audit.filter_object": ("Objet (début d'identifiant)", "Object (id prefix)"),
    "audit.total": ("événement|événements", "event|events"),
    "audit.filters": ("Filtrer le journal", "Filter the log"),
    "audit.object.client": ("Client", "Client"),
    "audit.object.advisor": ("Compte", "Account"),
    "audit.object.api_client": ("Application", "Application"),
    "audit.object.score": ("Score", "Score"),
    "audit.object.retention": ("Conservation", "Retention"),
    "audit.object.retention_policy": ("Durée de conservation", "Retention period"),
    "audit.object.monitoring_report": ("Rapport de surveillance", "Monitoring report"),
    "audit.object.outcome": ("Issue de crédit", "Credit outcome"),
    "audit.object.review": ("Revue", "Review"),
    "audit.action.api_access": ("Accès API", "API access"),
    "audit.action.contest_received": ("Contestation reçue", "Contest received"),
    "audit.action.decision_letter": ("Lettre de décision", "Decision letter"),
    "audit.action.monitoring_report": ("Rapport de surveillance calculé", "Monitoring report computed"),
    "audit.action.monitoring_report_viewed": (
        "Consultation du rapport de surveillance",
        "Monitoring report viewed",
    ),
    "audit.action.monitoring_history_viewed": (
        "Consultation de l'historique de surveillance",
        "Monitoring history viewed",
    ),
    "audit.action.outcomes_recorded": ("Issues de crédit enregistrées", "Credit outcomes recorded"),
    "audit.action.oversight_view": ("Consultation du contrôle humain", "Human oversight viewed"),
    "audit.action.review_list": ("Consultation des revues", "Reviews list viewed"),
    "audit.action.review_opened": ("Revue ouverte", "Review opened"),
    "audit.object.handler": ("Action réservée", "Restricted action"),
    "audit.object.decision": ("Décision", "Decision"),
    "audit.action.ui_handler": ("Action réservée aux superviseurs", "Supervisors-only action"),
    "audit.action.account_locked": ("Compte verrouillé", "Account locked"),
    "audit.action.advisor_activated": ("Compte réactivé", "Account reactivated"),
    "audit.action.advisor_deactivated": ("Compte désactivé", "Account deactivated"),
    "audit.action.advisor_created": ("Compte créé", "Account created"),
    "audit.action.advisor_role_changed": ("Rôle modifié", "Role changed"),
    "audit.action.advisor_unlocked": ("Compte déverrouillé", "Account unlocked"),
    "audit.action.api_auth": ("Authentification API", "API authentication"),
    "audit.action.api_client_created": ("Application partenaire créée", "Partner application created"),
    "audit.action.api_client_deactivated": (
        "Application partenaire désactivée",
        "Partner application deactivated",
    ),
    "audit.action.batch_scoring_skipped": ("Scoring par lot ignoré", "Batch scoring skipped"),
    "audit.action.client_list": ("Consultation de la liste des clients", "Client list viewed"),
    "audit.action.client_view": ("Consultation d'une fiche", "Client record viewed"),
    "audit.action.decision": ("Décision de crédit", "Credit decision"),
    "audit.action.login": ("Connexion", "Sign-in"),
    "audit.action.relationship_ended": ("Fin de la relation client", "Relationship ended"),
    "audit.action.retention_policy_changed": ("Durée de conservation modifiée", "Retention period changed"),
    "audit.action.retention_purge": ("Purge de conservation", "Retention purge"),
    "audit.action.rgpd_access_export": ("Export RGPD (droit d'accès)", "GDPR export (right of access)"),
    "audit.action.rgpd_erasure": ("Effacement RGPD", "GDPR erasure"),
    "audit.action.rgpd_objection": ("Opposition RGPD", "GDPR objection"),
    "audit.action.rgpd_rectification": ("Rectification RGPD", "GDPR rectification"),
    "audit.action.rgpd_restriction": ("Limitation du traitement", "Processing restricted"),
    "audit.action.rgpd_restriction_lifted": ("Limitation levée", "Restriction lifted"),
    "audit.action.score": ("Calcul d'un score", "Score computed"),
    "audit.action.score_batch": ("Scoring par lot", "Batch scoring"),
    "audit.action.token": ("Jeton API", "API token"),
    "audit.action.token_issued": ("Jeton API délivré", "API token issued"),
    "audit.outcome.success": ("Réussi", "Success"),
    "audit.outcome.failure": ("Échec", "Failure"),
    "audit.outcome.denied": ("Refusé", "Denied"),
    "audit.outcome.skipped": ("Ignoré", "Skipped"),
    "audit.actor.advisor": ("Conseiller n° {n}", "Advisor no. {n}"),
    "audit.actor.anonymous": ("Anonyme", "Anonymous"),
    "audit.actor.system": ("Système", "System"),
    "audit.actor.cli": ("Ligne de commande", "Command line"),
    "client.title": ("Fiche client", "Client"),
    "client.back": ("Retour au portefeuille", "Back to the portfolio"),
    "client.not_found_title": ("Client introuvable", "Client not found"),
    "client.back_to_list": ("← Retour à la liste des clients", "← Back to the client list"),
    "client.not_found_body": (
        "Ce client n'existe pas ou ne fait pas partie de votre portefeuille.",
        "This client does not exist or is not in your portfolio.",
    ),
    "client.model": ("Modèle", "Model"),
    "client.scored_at": ("scoré le", "scored on"),
    "client.base": (
        (
            "Contributions en points de probabilité, à partir du client moyen du portefeuille "
            "({base} : la probabilité à la moyenne des log-cotes, sous la probabilité moyenne)."
        ),
        (
            "Contributions in probability points, starting from the portfolio's average client "
            "({base}: the probability at the mean log-odds, below the mean probability)."
        ),
    ),
    "client.manual_mode": (
        "Scoring automatique suspendu : évaluation manuelle requise.",
        "Automatic scoring is suspended: manual assessment required.",
    ),
    "client.not_scorable": (
        "Ce client ne peut pas être scoré automatiquement (opposition ou limitation).",
        "This client cannot be scored automatically (objection or restriction).",
    ),
    "client.stale_warning": (
        "Données critiques de plus de {stale_months} mois ({features}) : mettez-les à jour avant de décider.",
        "Critical data older than {stale_months} months ({features}): update it before deciding.",
    ),
    "client.fresh": ("Données à jour (la plus ancienne : {date}).", "Data up to date (oldest: {date})."),
    "client.eligible_if": ("Éligible si {changes}.", "Eligible if {changes}."),
    "client.pct_points": ("{value} points de %", "{value} % points"),
    "client.gauge_scale": (
        "Échelle de 0 à {max} ; au-delà, l'aiguille reste en butée.",
        "Scale from 0 to {max}; above it, the needle stays at the end.",
    ),
    "client.gauge_scale_full": ("Échelle de 0 à {max}.", "Scale from 0 to {max}."),
    "client.age_first": (
        "L'âge est le premier facteur de ce score. L'âge n'est jamais un motif de refus : "
        "pesez les autres facteurs et justifiez votre décision.",
        "Age is the first factor of this score. Age is never a reason for refusal: "
        "weigh the other factors and justify your decision.",
    ),
    "client.threshold_is": ("Seuil de décision : {threshold}", "Decision threshold: {threshold}"),
    "client.gauge_label": ("Probabilité de défaut", "Probability of default"),
    "client.gauge_caption": (
        "Vert : éligible · ambre : zone grise · rouge : non éligible. Le trait marque le seuil.",
        "Green: eligible · amber: grey zone · red: not eligible. The tick marks the threshold.",
    ),
    "client.more": ("Détails, simulation et historique", "Details, what-if and history"),
    "client.reasons": ("Pourquoi ce score", "Why this score"),
    "client.contributions": ("Contribution de chaque variable", "Contribution of each variable"),
    "client.features": ("Données du client", "Client data"),
    "client.variable": ("Variable", "Variable"),
    "client.value": ("Valeur", "Value"),
    "client.percentile": ("Rang dans le portefeuille", "Portfolio percentile"),
    "client.percentile_value": (
        "{rank} % des clients ont cet âge ou moins",
        "{rank}% of clients are this age or younger",
    ),
    "client.percentile_higher_better_value": (
        "aussi bien ou mieux que {rank} % des clients",
        "as good as or better than {rank}% of clients",
    ),
    "client.percentile_lower_better_value": (
        "{rank} % des clients en ont autant ou moins (moins, c'est mieux)",
        "{rank}% of clients have as many or fewer (fewer is better)",
    ),
    "client.as_of": ("Observée le", "Observed on"),
    "client.stale": ("Donnée ancienne", "Stale data"),
    "client.risk_band": ("Classe de risque", "Risk band"),
    "client.human_decides": (
        "Recommandation du modèle — la décision vous appartient.",
        "The model's recommendation — the decision is yours.",
    ),
    "reason.raises": ("Augmente le risque", "Raises the risk"),
    "reason.lowers": ("Réduit le risque", "Lowers the risk"),
    "reason.actionable": ("Le client peut agir", "The client can act on it"),
    "reason.actionable_to": (
        "Le client peut agir : viser {target}",
        "The client can act on it: aim for {target}",
    ),
    "whatif.title": ("Simulation (rien n'est enregistré)", "What-if (nothing is recorded)"),
    "whatif.ghost": (
        "Aiguille en pointillés : le score réel du client.",
        "Dotted needle: the client's real score.",
    ),
    "whatif.hint": (
        "Modifiez une variable pour voir la nouvelle probabilité. L'âge est fixe.",
        "Change a variable to see the new probability. Age is fixed.",
    ),
    "whatif.reset": ("Revenir aux données du client", "Back to the client's data"),
    "whatif.invalid": ("Combinaison de valeurs invalide.", "Invalid combination of values."),
    "whatif.new_probability": ("Probabilité simulée", "Simulated probability"),
    "history.title": ("Historique des scores et décisions", "Score and decision history"),
    "history.superseded": ("remplacé", "superseded"),
    "history.override": ("contraire à la recommandation", "against the recommendation"),
    "history.empty": ("Aucun historique.", "No history yet."),
    "history.score": ("Score", "Score"),
    "history.decision": ("Décision", "Decision"),
    "decision.title": ("Votre décision", "Your decision"),
    "decision.approved": ("Accorder", "Approve"),
    "decision.refused": ("Refuser", "Refuse"),
    "decision.referred": ("Transmettre", "Refer"),
    "decision.justification": ("Justification", "Justification"),
    "decision.rule.age_first": (
        "Justification obligatoire (au moins {min_justification} caractères) : l'âge est le premier "
        "facteur ; appuyez la décision sur les autres.",
        "Justification required (at least {min_justification} characters): age is the first factor; "
        "base the decision on the others.",
    ),
    "decision.rule.override": (
        "Justification obligatoire (au moins {min_justification} caractères) : décision contraire "
        "à la recommandation, revue par un superviseur.",
        "Justification required (at least {min_justification} characters): a decision against the "
        "recommendation, reviewed by a supervisor.",
    ),
    "decision.rule.refusal": (
        "Justification obligatoire (au moins {min_justification} caractères) pour un refus.",
        "Justification required (at least {min_justification} characters) for a refusal.",
    ),
    "decision.rule.review": (
        "Justification obligatoire (au moins {min_justification} caractères) : client en zone "
        "grise ou aux données anciennes.",
        "Justification required (at least {min_justification} characters): a client in the grey "
        "zone or with stale data.",
    ),
    "decision.counter": (
        "{count} / {max_justification} caractères",
        "{count} / {max_justification} characters",
    ),
    "decision.latest": ("Dernière décision : {outcome}, le {date}", "Latest decision: {outcome}, on {date}"),
    "decision.letter": ("Lettre au client", "Letter to the client"),
    "decision.letter_fr": ("PDF en français", "PDF in French"),
    "decision.letter_en": ("PDF en anglais", "PDF in English"),
    "decision.letter_file": ("lettre-decision", "decision-letter"),
    "decision.error.letter_lang": (
        "Langue de lettre inconnue : choisissez français ou anglais.",
        "Unknown letter language: choose French or English.",
    ),
    "decision.error.letter_missing": (
        "Cette décision est introuvable ou ne fait pas partie de votre portefeuille.",
        "This decision does not exist or is not in your portfolio.",
    ),
    "decision.optional_hint": ("Justification facultative.", "Justification optional."),
    "decision.submit": ("Enregistrer la décision", "Record the decision"),
    "decision.recorded": ("Décision enregistrée.", "Decision recorded."),
    "decision.error.outcome": ("Choisissez une décision.", "Choose a decision."),
    "decision.error.justification": (
        "Justification obligatoire ici (au moins {min_justification} caractères, au plus "
        "{max_justification}).",
        "A justification is required here (at least {min_justification} characters, at most "
        "{max_justification}).",
    ),
    "decision.error.score": ("Ce client n'a pas encore de score.", "This client has no score yet."),
    "decision.no_names": ("N'écrivez ni nom ni donnée d'identité.", "Write no name or identity data."),
    "model.title": ("Le modèle de scoring", "The scoring model"),
    "model.none": (
        "Aucun modèle valide n'est chargé : le scoring automatique est suspendu.",
        "No valid model is loaded: automatic scoring is suspended.",
    ),
    "model.champion": ("Modèle retenu", "Champion"),
    "model.version": ("Version (SHA-256)", "Version (SHA-256)"),
    "model.threshold": ("Seuil de décision", "Decision threshold"),
    "model.grey_zone": ("Zone grise (examen humain)", "Grey zone (human review)"),
    "model.threshold_why": (
        "Le seuil minimise le coût attendu : un défaut non détecté coûte {fn} fois plus qu'un "
        "bon client refusé à tort. Autour du seuil, les politiques dont le coût reste proche du "
        "minimum se contredisent : ces clients vont en examen humain.",
        "The threshold minimises the expected cost: a missed default costs {fn} times as much "
        "as a wrongly refused good client. Around the threshold, policies whose cost stays near "
        "the minimum disagree: those clients go to human review.",
    ),
    "model.candidates": (
        "Modèles comparés (validation croisée et test)",
        "Candidates compared (cross-validation and test)",
    ),
    "model.candidate": ("Modèle", "Model"),
    "model.cv_auc": ("AUC ROC (VC)", "ROC AUC (CV)"),
    "model.pr_auc": ("Précision moyenne", "Average precision"),
    "model.brier": ("Brier", "Brier"),
    "model.ks": ("KS", "KS"),
    "model.cost": ("Coût attendu / client", "Expected cost / client"),
    "model.calibration": ("Calibration (jeu de test)", "Calibration (test set)"),
    "model.calibration_hint": (
        "Chaque point compare la probabilité prédite moyenne d'un décile au taux de défaut "
        "observé ; la diagonale est une calibration parfaite.",
        "Each point compares a decile's mean predicted probability with its observed default "
        "rate; the diagonal is perfect calibration.",
    ),
    "model.predicted": ("Prédit", "Predicted"),
    "model.observed": ("Observé", "Observed"),
    "model.cost_curve": ("Coût attendu selon le seuil", "Expected cost by threshold"),
    "model.roc": ("Courbes ROC (jeu de test)", "ROC curves (test set)"),
    "model.importance": (
        "Importance globale (moyenne des |contributions|)",
        "Global importance (mean |contribution|)",
    ),
    "model.shap": ("Explication globale (SHAP)", "Global explanation (SHAP)"),
    "model.shap.intro": (
        "Valeurs SHAP exactes (TreeSHAP, shap.TreeExplainer) calculées à l'entraînement sur {n} "
        "clients tirés au hasard, en log-odds bruts du modèle (avant calibration) : une valeur "
        "positive augmente le risque estimé, une valeur négative le diminue.",
        "Exact SHAP values (TreeSHAP, shap.TreeExplainer) computed at training on {n} randomly "
        "drawn clients, in the model's raw log-odds (before calibration): a positive value raises "
        "the estimated risk, a negative one lowers it.",
    ),
    "model.shap.importance": ("Moyenne des |valeurs SHAP|", "Mean |SHAP value|"),
    "model.shap.mean_abs": ("Moyenne |SHAP|", "Mean |SHAP|"),
    "model.shap.summary": ("Valeurs SHAP par client", "SHAP values per client"),
    "model.shap.summary_hint": (
        "Un point par client et par variable ; couleur : valeur de la variable, du bleu (faible) au "
        "rouge (élevée).",
        "One dot per client and feature; colour: the feature's value, from blue (low) to red (high).",
    ),
    "model.shap.value": ("Valeur SHAP (log-odds)", "SHAP value (log-odds)"),
    "model.shap.dependence": ("Graphique de dépendance", "Dependence plot"),
    "model.shap.feature": ("Variable", "Feature"),
    "model.shap.colour_by": (
        "Couleur : valeur de la variable qui interagit le plus avec elle,",
        "Colour: the value of the feature it interacts with most,",
    ),
    "model.shap.dependence_hint": (
        "Abscisse : valeur de la variable ; ordonnée : sa valeur SHAP. Un écart vertical entre couleurs "
        "à même abscisse montre l'interaction.",
        "Horizontal: the feature's value; vertical: its SHAP value. A vertical gap between colours at "
        "the same value shows the interaction.",
    ),
    "model.shap.level.0": ("faible", "low"),
    "model.shap.level.1": ("plutôt faible", "fairly low"),
    "model.shap.level.2": ("moyenne", "medium"),
    "model.shap.level.3": ("plutôt élevée", "fairly high"),
    "model.shap.level.4": ("élevée", "high"),
    "model.shap.linear": (
        "Le modèle retenu est linéaire : son explication globale est celle de ses coefficients "
        "(importance globale ci-dessus, rapports de cotes ci-dessous). Les graphiques SHAP "
        "(résumé, dépendance) sont calculés pour un modèle à arbres.",
        "The champion is linear: its global explanation is its coefficients (global importance "
        "above, odds ratios below). The SHAP charts (summary, dependence) are computed for a "
        "tree model.",
    ),
    "model.odds": (
        "Régression logistique (statsmodels) : rapports de cotes",
        "Logistic regression (statsmodels): odds ratios",
    ),
    "model.parameter": ("Paramètre", "Parameter"),
    "model.odds_ratio": ("Rapport de cotes", "Odds ratio"),
    "model.ci": ("IC 95 %", "95% CI"),
    "model.p_value": ("p", "p"),
    "model.card": ("Fiche du modèle", "Model card"),
    "model.card.use_title": ("Usage prévu", "Intended use"),
    "model.card.use": (
        "Estimer la probabilité de défaut d'un client pour aider un conseiller à décider de son "
        "éligibilité au crédit. Le conseiller prend la décision finale et peut s'écarter de la "
        "recommandation en la justifiant par écrit. Ne convient ni à un refus entièrement "
        "automatique, ni aux clients hors des plages ci-dessous, ni à d'autres produits.",
        "Estimate a client's probability of default to support a credit-eligibility decision by "
        "a bank advisor, who makes the final decision and can override the recommendation with "
        "a written justification. Not for fully automated refusal, for clients outside the "
        "ranges below, or for other products.",
    ),
    "model.card.inputs": ("Variables d'entrée", "Inputs"),
    "model.card.feature": ("Variable", "Feature"),
    "model.card.unit": ("Unité", "Unit"),
    "model.card.range": ("Plage valide", "Valid range"),
    "model.card.effect": ("Effet sur le risque", "Effect on risk"),
    "model.card.actionable": ("Modifiable par le client", "Actionable"),
    "model.card.effect.1": ("l'augmente", "raises it"),
    "model.card.effect.-1": ("le diminue", "lowers it"),
    "model.card.effect.0": ("en U (jeunes et seniors plus risqués)", "U-shaped (young and senior riskier)"),
    "model.card.limits_title": ("Limites", "Limitations"),
    "model.card.limit_data": (
        "Appris sur les données décrites dans la fiche technique : les scores de clients qui "
        "ne leur ressemblent pas (nouveaux segments, choc économique) sont moins fiables. Surveiller "
        "le taux de défaut, la calibration et la dérive des entrées ; réentraîner s'ils bougent.",
        "Trained on the data the technical card describes: scores for clients unlike it (new "
        "segments, economic shocks) are less reliable. Monitor the default rate, calibration "
        "and input drift; retrain when they move.",
    ),
    "model.card.limit_age": (
        "L'âge est une entrée et son effet est en U : suivre les résultats et les dérogations par "
        "tranche d'âge ; la justification figure dans l'analyse d'impact.",
        "Age is an input and its effect is U-shaped: monitor outcomes and overrides by age band; "
        "the justification belongs in the impact assessment.",
    ),
    "model.card.limit_stale": (
        "Des données anciennes sur une variable critique envoient le client en examen, quel que "
        "soit le score.",
        "Stale inputs on critical features send the client to review whatever the score.",
    ),
    "model.card.technical": (
        "Fiche technique complète de l'artefact (document d'origine, en anglais)",
        "The artefact's full technical card",
    ),
    "model.metrics_why": (
        "AUC ROC et KS mesurent le classement, la précision moyenne le classement quand les défauts sont "
        "rares, Brier et la courbe de calibration la justesse des probabilités affichées, et le "
        "coût attendu ce que la banque paie réellement : c'est lui qui fixe le seuil et choisit "
        "le modèle ; à coût équivalent (une erreur-type), le plus simple l'emporte.",
        "ROC AUC and KS measure ranking, average precision ranking when defaults are rare, Brier and the "
        "calibration curve whether displayed probabilities are right, and the expected cost "
        "what the bank actually pays: it sets the threshold and picks the model; within one "
        "standard error of the best cost, the simpler model wins.",
    ),
    "rgpd.actions.title": ("Traiter une demande (superviseurs)", "Handle a request (supervisors)"),
    "rgpd.actions.client": ("Identifiant pseudonyme du client", "Client's pseudonymous id"),
    "rgpd.actions.export": ("Exporter (JSON)", "Export (JSON)"),
    "rgpd.actions.restrict": ("Limiter", "Restrict"),
    "rgpd.actions.object": ("Enregistrer l'opposition", "Record the objection"),
    "rgpd.actions.erase": ("Effacer", "Erase"),
    "rgpd.actions.erase_confirm": (
        "Confirmer l'effacement : le client quitte les listes et le scoring immédiatement.",
        "Confirm the erasure: the client leaves lists and scoring at once.",
    ),
    "rgpd.actions.rectify": ("Rectifier", "Rectify"),
    "rgpd.actions.feature": ("Variable", "Variable"),
    "rgpd.actions.value": ("Nouvelle valeur", "New value"),
    "rgpd.actions.as_of": ("Observée le", "Observed on"),
    "rgpd.actions.ground": ("Motif de la limitation", "Ground for restriction"),
    "rgpd.ground.accuracy_contested": ("Exactitude contestée", "Accuracy contested"),
    "rgpd.ground.unlawful_processing": ("Traitement illicite", "Unlawful processing"),
    "rgpd.ground.legal_claims": ("Constatation de droits en justice", "Legal claims"),
    "rgpd.ground.objection_pending": ("Opposition en cours d'examen", "Objection pending"),
    "rgpd.done.export": ("Export téléchargé.", "Export downloaded."),
    "rgpd.done.rectify": (
        "Donnée rectifiée ; le client a été rescoré.",
        "Data rectified; the client was rescored.",
    ),
    "rgpd.done.rectify_unscored": (
        "Donnée rectifiée ; l'ancien score est retiré (client non scorable automatiquement).",
        "Data rectified; the old score is withdrawn (client not scorable automatically).",
    ),
    "rgpd.done.restrict": ("Traitement limité.", "Processing restricted."),
    "rgpd.done.object": ("Opposition enregistrée.", "Objection recorded."),
    "rgpd.done.erase": (
        "Client effacé des listes ; suppression physique à la fin de la conservation légale.",
        "Client erased from lists; physical deletion at the end of the legal hold.",
    ),
    "rgpd.error.not_found": ("Client introuvable.", "Client not found."),
    "rgpd.error.refused": (
        "Demande impossible pour ce client dans son état actuel.",
        "This request does not apply to the client as it stands.",
    ),
    "rgpd.error.invalid": ("Valeur invalide : ", "Invalid value: "),
    "rgpd.error.forbidden": ("Action réservée aux superviseurs.", "Supervisors only."),
    "purge.preview": ("Aperçu de la purge au", "Purge preview as of"),
    "purge.category": ("Catégorie", "Category"),
    "purge.table": ("Table", "Table"),
    "purge.rows": ("Lignes", "Rows"),
    "purge.nothing": ("Rien à purger aujourd'hui.", "Nothing to purge today."),
    "purge.run": ("Lancer la purge", "Run the purge"),
    "purge.done": (
        "Purge effectuée : {n} lignes supprimées ou modifiées.",
        "Purge done: {n} rows deleted or changed.",
    ),
    "purge.refresh": ("Actualiser l'aperçu", "Refresh the preview"),
    "purge.daily": (
        "La purge s'exécute aussi chaque nuit automatiquement.",
        "The purge also runs automatically every night.",
    ),
    "error.generic": (
        "Une erreur est survenue. Réessayez ou contactez le support.",
        "Something went wrong. Try again or contact support.",
    ),
    "error.not_found": ("Page introuvable", "Page not found"),
    "error.dismiss": ("Fermer", "Dismiss"),
    # ---- worklist, review queue, contests, oversight (issue 16) -------------------
    # Keys follow the domain enums: decision_status.<DecisionStatus>,
    # quick.<QuickFilter>, review.kind.<ReviewKind>, review.status.<ReviewStatus>,
    # review.outcome.<ReviewOutcome>, oversight.flag.<flag>.
    "nav.reviews": ("Revues", "Reviews"),
    "decision_status.label": ("Décision", "Decision"),
    "decision_status.none": ("Aucune", "None"),
    "decision_status.approved": ("Accordé", "Approved"),
    "decision_status.refused": ("Refusé", "Refused"),
    "decision_status.referred": ("Transmis", "Referred"),
    "decision_status.contested": ("Contesté", "Contested"),
    "quick.label": ("Filtres rapides", "Quick filters"),
    "quick.to_do": ("À traiter", "To do"),
    "quick.grey_zone": ("Zone grise", "Grey zone"),
    "quick.stale": ("Données anciennes", "Stale data"),
    "quick.overrides": ("Dérogations", "Overrides"),
    "quick.contests": ("Contestations", "Contests"),
    "reviews.title": ("File de revue", "Review queue"),
    "reviews.intro": (
        "Chaque cas qui demande un second regard : décisions contraires à la recommandation, "
        "en zone grise ou sur données anciennes, et toutes les contestations. Vos propres "
        "décisions n'y figurent pas : une autre personne doit les revoir.",
        "Every case that needs a second person: decisions against the recommendation, in the "
        "grey zone or on stale data, and every contest. Your own decisions are not listed: "
        "someone else must review them.",
    ),
    "reviews.empty": ("Aucun élément à revoir.", "Nothing to review."),
    "reviews.unknown_kind": (
        "Type de revue inconnu dans l'adresse : toute la file est affichée.",
        "Unknown review kind in the address: the whole queue is shown.",
    ),
    "review.kind.label": ("Type", "Kind"),
    "review.kind.override": ("Dérogation", "Override"),
    "review.kind.grey_zone": ("Zone grise", "Grey zone"),
    "review.kind.stale_data": ("Données anciennes", "Stale data"),
    "review.kind.contest": ("Contestation", "Contest"),
    "review.status.open": ("Ouvert", "Open"),
    "review.status.resolved": ("Résolu", "Resolved"),
    "review.client": ("Client", "Client"),
    "review.decision": ("Décision revue", "Decision under review"),
    "review.decided_by": ("Décidé par", "Decided by"),
    "review.decided_at": ("Décidé le", "Decided on"),
    "review.due_on": ("Échéance", "Due"),
    "review.age": ("Ancienneté (jours)", "Age (days)"),
    "review.assignee": ("Pris en charge par", "Assigned to"),
    "review.unassigned": ("Non attribué", "Unassigned"),
    "review.overdue": ("En retard", "Overdue"),
    "review.overdue_only": ("En retard seulement", "Overdue only"),
    "review.claim": ("Prendre en charge", "Claim"),
    "review.score_before": ("Score à la décision", "Score at the decision"),
    "review.score_after": ("Score après rectification", "Score after rectification"),
    "review.resolve": ("Résoudre", "Resolve"),
    "review.outcome.upheld": ("Décision maintenue", "Decision upheld"),
    "review.outcome.changed": ("Décision modifiée", "Decision changed"),
    "review.new_outcome": ("Nouvelle décision", "New decision"),
    "review.justification": ("Motif de la résolution", "Reason for the resolution"),
    "review.four_eyes": (
        "Vous avez pris cette décision : une autre personne doit la revoir (principe des quatre yeux).",
        "You made this decision: another person must review it (four-eyes principle).",
    ),
    "review.already_resolved": ("Cet élément est déjà résolu.", "This item is already resolved."),
    "review.claimed_by_other": (
        "Un autre réviseur a pris cet élément en charge.",
        "Another reviewer has claimed this item.",
    ),
    "review.resolved_notice": (
        "Résolution enregistrée : une nouvelle décision remplace l'ancienne ; la lettre peut être réémise.",
        "Resolution recorded: a new decision replaces the old one; the letter can be issued again.",
    ),
    "contest.open": ("Enregistrer une contestation", "Record a contest"),
    "contest.intro": (
        "Le client peut exprimer son point de vue et obtenir une revue humaine de la décision "
        "(directive 2023/2225, art. 18 ; RGPD, art. 22(3)). Une autre personne que le décideur la revoit.",
        "The client may express their point of view and obtain human review of the decision "
        "(Directive 2023/2225, Art. 18; GDPR Art. 22(3)). Someone other than the decider reviews it.",
    ),
    "contest.statement": ("Déclaration du client", "The client's statement"),
    "contest.statement_required": (
        "La déclaration du client est obligatoire.",
        "The client's statement is required.",
    ),
    "contest.corrections": (
        "Valeurs corrigées (facultatif) et date d'observation",
        "Corrected values (optional) and when they were observed",
    ),
    "contest.corrections_hint": (
        "Les valeurs corrigées sont rectifiées d'abord : le client est noté à nouveau "
        "et l'ancien score est remplacé.",
        "Corrected values are rectified first: the client is scored again and the old score superseded.",
    ),
    "contest.pending": (
        "Une contestation de cette décision attend déjà sa revue.",
        "A contest of this decision is already waiting for its review.",
    ),
    "contest.recorded": (
        "Contestation enregistrée et transmise en revue.",
        "Contest recorded and sent for review.",
    ),
    "oversight.title": ("Contrôle humain", "Human oversight"),
    "oversight.intro": (
        "Une décision qui ne fait qu'entériner le score fait du score la décision (CJUE, C-634/21). "
        "Ces indicateurs montrent si les décisions sont réellement examinées.",
        "A decision that only rubber-stamps the score makes the score the decision (CJEU C-634/21). "
        "These figures show whether decisions are actually reviewed.",
    ),
    "oversight.advisor": ("Conseiller", "Advisor"),
    "oversight.total": ("Ensemble", "All advisors"),
    "oversight.decisions": ("Décisions", "Decisions"),
    "oversight.override_rate": ("Taux de dérogation", "Override rate"),
    "oversight.agreement_rate": ("Accord avec le modèle", "Agreement with the model"),
    "oversight.median_time": (
        "Temps médian entre l'ouverture du dossier et la décision",
        "Median time from opening the client to deciding",
    ),
    "oversight.without_reasons": (
        "Décisions prises sans que les motifs aient été affichés",
        "Decisions taken without the reasons on screen",
    ),
    "oversight.flags": ("Signaux", "Flags"),
    "oversight.flag.rubber_stamp": (
        "Accord total avec le modèle, décisions en quelques secondes",
        "Full agreement with the model, decisions within seconds",
    ),
    "oversight.flag.reasons_unseen": (
        "Décisions souvent prises sans consulter les motifs",
        "Decisions often taken without looking at the reasons",
    ),
    "review.id": ("N°", "No."),
    "review.kind.all": ("Tous", "All"),
    "review.actions": ("Actions", "Actions"),
    "review.cancel": ("Annuler", "Cancel"),
    "review.client_unavailable": (
        "Le client est restreint ou effacé : aucune nouvelle décision n'est possible.",
        "The client is restricted or erased: no new decision can be taken.",
    ),
    "review.error.outcome": (
        "Choisissez : maintenir ou modifier la décision.",
        "Choose: uphold or change the decision.",
    ),
    "review.error.new_outcome": (
        "Choisissez une nouvelle décision, différente de celle revue.",
        "Choose a new decision, different from the one reviewed.",
    ),
    "review.error.justification": (
        "Le motif est obligatoire (au moins {min_justification} caractères, au plus {max_justification}).",
        "The reason is required (at least {min_justification} characters, at most {max_justification}).",
    ),
    "review.error.score": ("Ce client n'a pas de score courant.", "This client has no current score."),
    "contest.submit": ("Enregistrer la contestation", "Record the contest"),
    "contest.as_of": ("Observé le", "Observed on"),
    "contest.no_decision": (
        "Aucune décision à contester pour ce client.",
        "No decision to contest for this client.",
    ),
    "contest.decision": ("Décision contestée", "Decision contested"),
    "contest.error.corrections": (
        "Valeur corrigée invalide : vérifiez la valeur et sa date (pas dans le futur).",
        "Invalid corrected value: check the value and its date (not in the future).",
    ),
    "contest.error.as_of": ("Indiquez la date d'observation.", "Enter when it was observed."),
    "contest.new_score": ("Nouveau score après rectification", "New score after rectification"),
    # ---- end of issue 16 block ---------------------------------------------------
    # ---- monitoring (issue 17): labels of the report's sections and levels ----
    "monitoring.title": ("Surveillance du modèle", "Model monitoring"),
    "monitoring.history": ("Évolution mois par mois", "Month by month"),
    "monitoring.history.stability": (
        "Stabilité : PSI du score, CSI des variables",
        "Stability: score PSI, feature CSI",
    ),
    "monitoring.history.score": ("Score (PSI)", "Score (PSI)"),
    "monitoring.history.levels": (
        "Lignes horizontales : {watch} à surveiller, {alert} alerte.",
        "Horizontal lines: {watch} watch, {alert} alert.",
    ),
    "monitoring.history.default_rate": (
        "Taux de défaut prédit et observé (%)",
        "Predicted and observed default rate (%)",
    ),
    "monitoring.history.predicted": ("Prédit (probabilité moyenne)", "Predicted (mean probability)"),
    "monitoring.history.observed": ("Observé", "Observed"),
    "monitoring.history.approval": ("Taux d'accord par tranche d'âge (%)", "Approval rate by age band (%)"),
    "monitoring.population": ("Stabilité du score (PSI)", "Score stability (PSI)"),
    "monitoring.features": ("Stabilité des variables (CSI)", "Feature stability (CSI)"),
    "monitoring.backtest": (
        "Défauts prévus et observés par classe de risque",
        "Predicted vs observed defaults by risk band",
    ),
    "monitoring.fairness": ("Équité par tranche d'âge", "Fairness by age band"),
    "monitoring.challenger": ("Modèle challenger", "Challenger model"),
    "monitoring.no_data": ("Pas de données sur la période", "No data for this period"),
    "monitoring.alert_banner": (
        "Alerte de surveillance du modèle : consultez la page de surveillance.",
        "Model monitoring alert: see the monitoring page.",
    ),
    "monitoring.level.ok": ("Stable", "Stable"),
    "monitoring.level.watch": ("À surveiller", "Watch"),
    "monitoring.level.alert": ("Alerte", "Alert"),
    "monitoring.light.green": ("Vert", "Green"),
    "monitoring.light.amber": ("Orange", "Amber"),
    "monitoring.light.red": ("Rouge", "Red"),
    "monitoring.predicted": ("Taux de défaut prévu", "Predicted default rate"),
    "monitoring.observed": ("Taux de défaut observé", "Observed default rate"),
    "monitoring.approval_rate": ("Taux d'acceptation", "Approval rate"),
    "monitoring.mean_probability": ("Probabilité moyenne", "Mean probability"),
    "monitoring.adverse_impact_ratio": ("Ratio d'impact défavorable", "Adverse impact ratio"),
    "monitoring.age_alone": (
        "Refus que l'âge seul décide (éligibles à l'âge médian, le reste égal)",
        "Refusals decided by age alone (eligible at the median age, all else equal)",
    ),
    "monitoring.stability": (
        "Stabilité du score et des variables (PSI, CSI)",
        "Stability of the score and features (PSI, CSI)",
    ),
    "monitoring.score": ("Score (probabilité de défaut)", "Score (default probability)"),
    "monitoring.variable": ("Variable", "Variable"),
    "monitoring.psi": ("Indice", "Index"),
    "monitoring.n": ("Effectif", "Count"),
    "monitoring.level": ("Niveau", "Level"),
    "monitoring.band": ("Classe", "Band"),
    "monitoring.age_band": ("Tranche d'âge", "Age band"),
    "monitoring.auc": ("AUC", "AUC"),
    "monitoring.brier": ("Score de Brier", "Brier score"),
    "monitoring.model": ("Modèle", "Model"),
    "monitoring.champion": ("Champion", "Champion"),
    "monitoring.outcomes": ("issues observées", "observed outcomes"),
    "monitoring.since": ("Du", "From"),
    "monitoring.until": ("Au (inclus)", "To (included)"),
    "monitoring.apply": ("Afficher", "Show"),
    "monitoring.note_stored": (
        "Rapport enregistré le {date} à {time} UTC. « Afficher » le recalcule sur la période choisie.",
        "Report stored on {date} at {time} UTC. “Show” recomputes it over the chosen period.",
    ),
    "monitoring.note_live": (
        "Rapport calculé le {date} à {time} UTC sur la période choisie.",
        "Report computed on {date} at {time} UTC over the chosen period.",
    ),
    "monitoring.bad_window": (
        "Saisissez deux dates valides, la première au plus tard égale à la seconde.",
        "Enter two valid dates, the first no later than the second.",
    ),
    "clients.monitoring_refused": (
        "La surveillance du modèle est réservée aux superviseurs et aux administrateurs : vous avez "
        "été redirigé vers vos clients.",
        "Model monitoring is for supervisors and administrators: you were brought back to your clients.",
    ),
    # ---- end of monitoring ----
}
