"""The estimate's growth accounts under EU KLEMS's variable names (value-added based, p.p.).

The estimate decomposes the growth of gross output (net of production taxes by default) into
the contributions of ICT capital, non-ICT capital, labour and intermediate inputs, and TFP
(Törnqvist, KLEMS). EU KLEMS & INTANProd (2023 release, statistical module, file
``growth_accounts_basic``) publishes value-added accounts. With ``v̄_II`` the two-year average
share of intermediate inputs in the output value and ``v̄_VA = 1 − v̄_II``, the double-deflated
value-added growth and its decomposition follow exactly (O'Mahony and Timmer 2009, eq. 3;
EUKLEMS & INTANProd D2.3.1, section 2.3):

* ``VA_G   = (Δln GO − v̄_II·Δln II) / v̄_VA``       growth rate of value added volume
* ``VAConX = v̄_X·Δln X / v̄_VA``                     contribution of input X
* ``VAConTFP = TFP_GO / v̄_VA``                       value-added TFP growth

all in percentage points (100 × log change), as EU KLEMS publishes them, so that
``VA_G = VAConH + VAConICT + VAConNICT + VAConTFP`` for every industry and year.

Names and how they differ from EU KLEMS's (variable list and sheets of the 2023 release):

==============  ===========================================================================
``VA_CP``       value added, current prices, millions of CNY (EU KLEMS: millions of national
                currency)
``VA_G``        as EU KLEMS (value added at factor cost of the estimate's output value)
``VAConH``      labour: persons employed (EU KLEMS: hours worked); labour composition
                (``VAConLC``) is not measured and not exported
``VAConICT``    ICT capital: computers, communication equipment and software — EU KLEMS's
                ICT group of ``CAPICT_QI`` (IT, CT, Soft_DB); EU KLEMS splits its contribution
                into ``VAConTangICT`` (IT, CT) and software (``VACon_Soft_DB``, analytical
                module); the estimate does not keep that split
``VAConNICT``   all non-ICT capital — EU KLEMS's group of ``CAPNICT_QI``; EU KLEMS splits it
                into ``VAConTangNICT`` and ``VAConIntang``
``VAConTFP``    as EU KLEMS
==============  ===========================================================================

``industry`` is the input-output code with the prefix ``IO`` (text in every reader), and
``TOT`` the value-added weighted (Törnqvist) sum over the industries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.outputs.long_table import INDUSTRY_PREFIX

VARIABLES = {  # name -> (label, unit)
    "VA_CP": ("Gross value added, current prices, millions of CNY", "millions of CNY"),
    "VA_G": ("Growth rate of value added volume (double-deflated), 100 x delta log", "p.p."),
    "VAConH": ("Contribution of labour (persons employed, not hours), p.p.", "p.p."),
    "VAConICT": ("Contribution of ICT capital services (IT, CT, Soft_DB), p.p.", "p.p."),
    "VAConNICT": ("Contribution of non-ICT capital services, p.p.", "p.p."),
    "VAConTFP": ("Contribution of TFP (value-added based), p.p.", "p.p."),
}
COLUMNS = ["geo_code", "industry", "var", "year", "value", "unit", "label"]


def growth_accounts(result: xr.Dataset) -> xr.Dataset:
    """The EU KLEMS variables (industry, year) of an estimate, with ``v̄_II`` the estimate's own
    two-period average share of intermediate inputs (``share_intermediates``)."""
    v_va = 1.0 - result["share_intermediates"]
    go = result["output_growth"]
    ii = result["contribution_intermediates"]
    out = xr.Dataset({
        "VA_CP": 100.0 * result["value_added"],
        "VA_G": 100.0 * (go - ii) / v_va,
        "VAConH": 100.0 * result["contribution_labour"] / v_va,
        "VAConICT": 100.0 * result["contribution_ict"] / v_va,
        "VAConNICT": 100.0 * result["contribution_nict"] / v_va,
        "VAConTFP": 100.0 * result["tfp"] / v_va,
    })
    out = out.reset_coords(drop=True)
    # TOT: weights = two-year average share of each industry in total nominal value added
    va = result["value_added"]
    w = va / va.sum("industry")
    w = 0.5 * (w + w.shift(year=1))
    tot = {k: (w * out[k]).sum("industry", min_count=1) for k in VARIABLES if k != "VA_CP"}
    tot["VA_CP"] = out["VA_CP"].sum("industry", min_count=1)
    tot = xr.Dataset(tot).expand_dims(industry=["TOT"])
    out = out.assign_coords(industry=[f"{INDUSTRY_PREFIX}{c}" for c in out.industry.values])
    return xr.concat([out, tot], dim="industry")


def euklems_frame(result: xr.Dataset) -> pd.DataFrame:
    """Long table: geo_code, industry, var (EU KLEMS name), year, value, unit, label."""
    acc = growth_accounts(result)
    frame = acc.to_dataframe().reset_index().melt(id_vars=["industry", "year"], var_name="var",
                                                 value_name="value")
    frame["geo_code"] = str(result.attrs.get("province", ""))
    frame["unit"] = frame["var"].map(lambda v: VARIABLES[v][1])
    frame["label"] = frame["var"].map(lambda v: VARIABLES[v][0])
    frame["year"] = frame["year"].astype(int)
    order = {v: i for i, v in enumerate(VARIABLES)}
    frame = frame.sort_values(["industry", "var", "year"], key=lambda s: s.map(order)
                              if s.name == "var" else s, kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def write_euklems_csv(frame: pd.DataFrame, path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", na_rep="NA", float_format="%.17g")


def check_identity(acc: xr.Dataset) -> float:
    """Largest |VA_G − (VAConH + VAConICT + VAConNICT + VAConTFP)| (should be rounding)."""
    parts = acc["VAConH"] + acc["VAConICT"] + acc["VAConNICT"] + acc["VAConTFP"]
    return float(np.nanmax(np.abs(acc["VA_G"] - parts)))
