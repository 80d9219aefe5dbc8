"""A `keras.StatelessScope` that layers over the enclosing one.

Keras' own scope answers only for the variables it maps: any other variable
reads its stored value, ignoring an enclosing scope. odog nests scopes (a
spectrally normalized layer inside a JAX step or `predict`, a gradient inside
a step), so its scopes read through to the enclosing one, and remember which
variables were assigned in them.
"""

import keras
from keras.src.backend.common.stateless_scope import get_stateless_scope


class LayeredScope(keras.StatelessScope):
    """A stateless scope whose unmapped variables read the enclosing scope's values.

    Args:
        state_mapping: `(variable, value)` pairs, as for `keras.StatelessScope`.
        strict: reading a variable that no scope maps is an error (under
            `jax.jit` its value would be frozen into the compiled step).

    Example:
    >>> v, w = keras.Variable(1.0), keras.Variable(2.0)
    >>> with keras.StatelessScope([(v, 10.0)]):
    ...     with LayeredScope([(w, 20.0)]) as scope:
    ...         total = float(v + w)
    ...         _ = w.assign(5.0)
    >>> total, float(scope.get_current_value(w)), float(w)
    (30.0, 5.0, 2.0)
    """

    def __init__(self, state_mapping=(), strict: bool = False):
        self.parent = get_stateless_scope()
        super().__init__(state_mapping=list(state_mapping))
        self.assigned: dict[int, keras.Variable] = {}
        self.strict = strict

    def add_update(self, update):
        super().add_update(update)
        self.assigned[id(update[0])] = update[0]

    def get_current_value(self, variable):
        value = super().get_current_value(variable)
        if value is None and self.parent is not None:
            value = self.parent.get_current_value(variable)
        if value is None and self.strict:
            raise RuntimeError(
                f"The compiled step reads the variable {variable.path!r}, which is not among the variables it was "
                "compiled over. A variant that keeps models or variables of its own lists them in "
                "`BaseGAN.step_variables()` (or `constant_models()`)."
            )
        return value

    def updates(self) -> tuple[list, list]:
        """The variables assigned in this scope and their new values."""
        variables = list(self.assigned.values())
        return variables, [self.get_current_value(v) for v in variables]
