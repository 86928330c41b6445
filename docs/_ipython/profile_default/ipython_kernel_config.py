# IPython settings for the kernel that executes the book's pages (conf.py
# points IPYTHONDIR here).
#
# A cell that demonstrates an error shows only the error, the line the page
# states: "RuntimeError: mat1 and mat2 shapes cannot be multiplied ...". The
# default traceback would add the frames of torchprimer's own checks, with the
# absolute path of the checkout that built the book.
c = get_config()  # noqa: F821 (IPython defines it when it reads this file)
c.InteractiveShell.xmode = "Minimal"

# The build talks to its kernels over local TCP ports, and ipykernel warns at
# every start that this is unencrypted. Nothing to act on for a build on one
# machine; any other warning of the kernel still shows.
import logging


class _NoTcpWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_NoTcpWarning())
