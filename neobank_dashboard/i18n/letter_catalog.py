"""Translation catalogue of the decision letter and of the counterfactual
options (French, English), merged into the catalogue by :mod:`neobank_dashboard.i18n.translate`.

Written for the client, not the advisor: second person, plain words, no model
jargon. Client-facing reason texts exist for every reason code except age's:
age is one of the five data, but never a reason given to a client.
"""

from __future__ import annotations

# key: (français, English)
LETTER_MESSAGES: dict[str, tuple[str, str]] = {
    "counterfactual.move": ("{label} de {before} à {to}", "{label} from {before} to {to}"),
    "counterfactual.and": (" et ", " and "),
    "letter.title": (
        "Votre demande de crédit : notre décision et vos droits",
        "Your credit application: our decision and your rights",
    ),
    "letter.reference": ("Référence de la décision : {decision}", "Decision reference: {decision}"),
    "letter.client": ("Dossier client : {client}", "Client file: {client}"),
    "letter.dated": ("Le {date}", "{date}"),
    "letter.footer": (
        "{bank} · Décision {decision} · page {page}",
        "{bank} · Decision {decision} · page {page}",
    ),
    "letter.greeting": ("Madame, Monsieur,", "Dear client,"),
    "letter.closing": (
        "Nous restons à votre disposition pour en parler.",
        "We remain at your disposal to discuss it.",
    ),
    "letter.signature": ("Le service crédit de {bank}", "The credit department of {bank}"),
    "letter.decision.heading": ("Notre décision", "Our decision"),
    "letter.decision.approved": (
        "Le {date}, nous avons accordé votre demande de crédit.",
        "On {date} we approved your credit application.",
    ),
    "letter.decision.refused": (
        "Le {date}, nous avons refusé votre demande de crédit.",
        "On {date} we refused your credit application.",
    ),
    "letter.decision.referred": (
        "Le {date}, votre demande de crédit a été transmise pour un examen complémentaire ; "
        "nous vous écrirons pour vous informer de la décision finale.",
        "On {date} your credit application was referred for further examination; we will "
        "write to you with the final decision.",
    ),
    "letter.who.heading": (
        "Qui a décidé, et le rôle du score automatique",
        "Who decided, and the role of the automated score",
    ),
    "letter.who.person": (
        "Cette décision a été prise par une personne : {person}.",
        "This decision was taken by a person: {person}.",
    ),
    "letter.who.score": (
        "Pour l'éclairer, un score automatique (modèle {model}, calculé le {date}) a estimé "
        "la probabilité que le crédit ne soit pas remboursé à {probability}, pour un seuil "
        "d'acceptation de {threshold} ; sa recommandation était «\u00a0{recommendation}\u00a0». Le score "
        "est une aide à la décision : il ne décide jamais seul.",
        "To inform it, an automated score (model {model}, computed on {date}) estimated the "
        "probability that the credit would not be repaid at {probability}, against an "
        "acceptance threshold of {threshold}; its recommendation was “{recommendation}”. The "
        "score supports the decision: it never decides alone.",
    ),
    "letter.data.heading": ("Les données utilisées", "The data used"),
    "letter.data.intro": (
        "Le score repose sur ces cinq données, et sur elles seules :",
        "The score rests on these five data, and on them alone:",
    ),
    "letter.data.column.data": ("Donnée", "Data"),
    "letter.data.column.value": ("Valeur", "Value"),
    "letter.data.column.as_of": ("Observée le", "Observed on"),
    "letter.factors.heading": ("Les principaux facteurs", "The main factors"),
    "letter.factors.intro": (
        "Ce qui a le plus pesé dans le score, du plus important au moins important :",
        "What weighed most in the score, most important first:",
    ),
    "letter.factors.none": (
        "Aucune de vos données n'a pesé nettement dans un sens ou dans l'autre.",
        "None of your data weighed clearly one way or the other.",
    ),
    "letter.reason.INCOME_LOW": (
        "Votre revenu annuel net ({value}) est, à ce niveau, associé à un risque plus élevé.",
        "Your annual net income ({value}) is, at this level, associated with a higher risk.",
    ),
    "letter.reason.INCOME_HIGH": (
        "Votre revenu annuel net ({value}) joue en votre faveur.",
        "Your annual net income ({value}) works in your favour.",
    ),
    "letter.reason.SENIORITY_SHORT": (
        "Votre ancienneté dans votre emploi actuel ({value}) est encore courte, ce qui augmente "
        "le risque estimé.",
        "Your time in your current job ({value}) is still short, which raises the estimated risk.",
    ),
    "letter.reason.SENIORITY_LONG": (
        "Votre ancienneté dans votre emploi actuel ({value}) joue en votre faveur.",
        "Your time in your current job ({value}) works in your favour.",
    ),
    "letter.reason.INCIDENTS_HIGH": (
        "Les incidents de paiement des cinq dernières années ({value}) augmentent le risque estimé.",
        "The payment incidents of the last five years ({value}) raise the estimated risk.",
    ),
    "letter.reason.INCIDENTS_NONE": (
        "L'absence d'incident de paiement ces cinq dernières années joue en votre faveur.",
        "Having had no payment incident in the last five years works in your favour.",
    ),
    "letter.reason.INCIDENTS_FEW": (
        "Le faible nombre d'incidents de paiement ({value}) joue en votre faveur.",
        "The low number of payment incidents ({value}) works in your favour.",
    ),
    "letter.reason.CREDIT_SCORE_LOW": (
        "Votre score auprès du bureau de crédit ({value}) augmente le risque estimé.",
        "Your score with the credit bureau ({value}) raises the estimated risk.",
    ),
    "letter.reason.CREDIT_SCORE_HIGH": (
        "Votre score auprès du bureau de crédit ({value}) joue en votre faveur.",
        "Your score with the credit bureau ({value}) works in your favour.",
    ),
    "letter.change.heading": ("Ce qui changerait le résultat", "What would change the outcome"),
    "letter.change.intro": (
        "D'après le modèle, chacune de ces situations, vos autres données restant les mêmes, "
        "aurait rendu votre demande éligible :",
        "According to the model, each of these situations, your other data staying the same, "
        "would have made your application eligible:",
    ),
    "letter.change.option": (
        "{changes} (probabilité estimée : {probability}).",
        "{changes} (estimated probability: {probability}).",
    ),
    "letter.change.caveat": (
        "Ce sont des estimations, pas un engagement : une nouvelle demande serait de nouveau "
        "examinée par une personne.",
        "These are estimates, not a commitment: a new application would again be examined by a person.",
    ),
    "letter.change.none": (
        "Aucun changement réaliste d'une ou deux de vos données ne rendrait, d'après le modèle, "
        "votre demande éligible. Votre conseiller peut en parler avec vous.",
        "According to the model, no realistic change of one or two of your data would make your "
        "application eligible. Your advisor can discuss it with you.",
    ),
    "letter.change.human": (
        "Le score jugeait votre demande éligible : la décision repose sur l'appréciation de "
        "votre conseiller, qui peut vous l'expliquer, et vous pouvez la contester (ci-dessous).",
        "The score rated your application eligible: the decision rests on your advisor's "
        "assessment, which they can explain to you, and you may contest it (below).",
    ),
    "letter.change.approved": (
        "Sans objet : votre demande est accordée.",
        "Not applicable: your application is approved.",
    ),
    "letter.rights.heading": ("Vos droits", "Your rights"),
    "letter.rights.access": (
        "Accès : obtenir les données vous concernant et une explication de la logique du score "
        "(RGPD, art. 15).",
        "Access: obtain the data about you and an explanation of the logic of the score (GDPR, Art. 15).",
    ),
    "letter.rights.rectification": (
        "Rectification : faire corriger une donnée inexacte ou dépassée (RGPD, art. 16).",
        "Rectification: have inaccurate or outdated data corrected (GDPR, Art. 16).",
    ),
    "letter.rights.contest": (
        "Exprimer votre point de vue et contester la décision (RGPD, art. 22 ; directive (UE) "
        "2023/2225, art. 18).",
        "Express your point of view and contest the decision (GDPR, Art. 22; Directive (EU) "
        "2023/2225, Art. 18).",
    ),
    "letter.rights.review": (
        "Réexamen humain : obtenir un nouvel examen complet de votre demande par une personne.",
        "Human review: obtain a new, full examination of your application by a person.",
    ),
    "letter.rights.objection": (
        "Opposition : refuser l'utilisation du score automatique pour vos demandes, qui sont "
        "alors évaluées entièrement par une personne (RGPD, art. 21).",
        "Objection: refuse the use of the automated score for your applications, which are then "
        "assessed entirely by a person (GDPR, Art. 21).",
    ),
    "letter.rights.complaint": (
        "Réclamation : saisir la CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr.",
        "Complaint: contact the CNIL (French data protection authority), 3 place de Fontenoy, "
        "TSA 80715, 75334 Paris Cedex 07, France, www.cnil.fr.",
    ),
    "letter.rights.how": (
        "Écrivez à notre délégué à la protection des données (ci-dessous) en citant la référence "
        "de la décision. Pour contester la décision ou demander un réexamen, écrivez-nous au plus "
        "tard le {contest_until} ({contest_days} jours après la décision). Nous répondons dans un "
        "délai d'un mois, prolongeable de deux mois pour une demande complexe (RGPD, art. 12).",
        "Write to our data protection officer (below), quoting the decision reference. To contest "
        "the decision or ask for a review, write to us by {contest_until} ({contest_days} days "
        "after the decision). We answer within one month, extendable by two months for a complex "
        "request (GDPR, Art. 12).",
    ),
    "letter.dpo.heading": ("Comment exercer vos droits", "How to use your rights"),
    "letter.dpo.contact": (
        "Délégué à la protection des données : {contact}",
        "Data protection officer: {contact}",
    ),
}
