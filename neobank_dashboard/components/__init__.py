"""Pure presentational pieces (values in, components out): gauge, contribution bars,
badges, form labels, styles. They never import a state: state-bound pieces live in views/."""
