"""netral nlp: campaign-content classification for Indonesian social-media text.

Pure: text in, predictions out; imports nothing else from the project and touches no database.

Public entry points (import from the submodules; importing ``nlp`` itself stays cheap):

- :func:`nlp.election.load_election_yaml` → :class:`nlp.types.ElectionSpec`
- :func:`nlp.artefacts.load_default_model` (shipped model) / :func:`nlp.artefacts.load_model`
- :class:`nlp.predict.Classifier` (``predict``, ``predict_many``) → :class:`nlp.types.Prediction`
- :func:`nlp.predict.classifier_for` — default model bound to an election, in one call
- :func:`nlp.assess.assess` (:class:`nlp.assess.Interaction`) → candidate violation codes
- :func:`nlp.batch.classify_command` — ``netral classify`` as a function
- :func:`nlp.decisions.read_decisions` — reviewer decisions → labelled examples
- the CLI lives in :mod:`pipelines.cli.nlp` (nlp imports no typer or rich)
"""
