"""torchprimer: the code of the lessons in the torchprimer book.

Each module holds the code of one lesson, written to be read. The pages of the
book call these functions and show their source.
"""

from torchprimer.multilayer import layer_forward, network_forward
from torchprimer.neuron import neuron_by_matmul, neuron_by_sum, sigmoid
from torchprimer.numpy_bridge import shares_memory
from torchprimer.printing import setup_printing
from torchprimer.tensors import DtypeInfo, dtype_table

__all__ = [
    "DtypeInfo",
    "dtype_table",
    "layer_forward",
    "network_forward",
    "neuron_by_matmul",
    "neuron_by_sum",
    "setup_printing",
    "shares_memory",
    "sigmoid",
]
