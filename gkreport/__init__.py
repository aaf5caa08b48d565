"""gkreport: check, fill and render the three statistical tables of the annual
government-information-disclosure report (政府信息公开工作年度报告)."""

__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """``%load_ext gkreport``: the %%gkreport and %gkcheck magics (IPython is imported only here)."""
    from gkreport.kernels_ext.magics import load_ipython_extension as load

    load(ipython)
