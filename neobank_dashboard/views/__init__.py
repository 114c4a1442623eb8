"""State-bound pieces of the UI: the layout shell, the filters form, the page decorator.

They read and call states; ``components/`` stays pure (values in, components out).
"""
