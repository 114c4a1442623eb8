"""Old home of the document generator (now :mod:`neobank_dashboard.documents`): only the
``python -m neobank_dashboard.docs`` alias of ``neobank docs`` is left here."""
