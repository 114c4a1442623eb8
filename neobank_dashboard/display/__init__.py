"""Pure display helpers: domain values turned into texts and geometry for the UI.

Plain functions (no Reflex, no state, no component), so states and components
can share them without importing each other.
"""
