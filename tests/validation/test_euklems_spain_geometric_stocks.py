"""The geometric perpetual inventory reproduces published EU KLEMS stocks exactly.

Source: EUKLEMS & INTANProd 2023 release (Bontadini, Corrado, Haskel, Iommi, Jona-Lasinio),
Spain, intangibles analytical module, ``ES_intangible_analytical.xlsx``, sheets ``Kq_<asset>``
(real net capital stock, chain-linked volumes) and ``Iq_<asset>`` (real investment). Depreciation
rates from Appendix Table A1 of the methodology (D2.3.1): Brand 0.55, Design 0.20,
Organisational capital 0.40, Training 0.40. The intangible stocks of this module are built by
``K_t = (1 − δ) K_{t−1} + I_t``; seeded with the published 1995 stock, our geometric profile must
reproduce every published year to 1e-9 relative error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import capital_stock as cs

ASSETS = {"Brand": 0.55, "Design": 0.20, "OrgCap": 0.40, "Train": 0.40}
FILE = "reference-data/validation/eu-klems-2023-spain/ES_intangible_analytical.xlsx"


def _sheet(path, name) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name=name).set_index("nace_r2_code")
    years = [c for c in df.columns if str(c).isdigit()]
    out = df[years].astype(float)
    out.columns = [int(c) for c in years]
    return out


@pytest.mark.parametrize("asset", sorted(ASSETS))
def test_geometric_inventory_reproduces_published_stocks(shared_dir, asset):
    path = shared_dir / FILE
    K = _sheet(path, f"Kq_{asset}")
    I = _sheet(path, f"Iq_{asset}").loc[K.index]
    complete = K.notna().all(axis=1) & I.notna().all(axis=1)
    # L68A (imputed rents), T and U (households, extraterritorial) are published empty.
    assert set(K.index[~complete]) <= {"L68A", "T", "U"}
    assert complete.sum() >= 50
    k, i = K[complete].to_numpy(), I[complete].to_numpy()
    delta = ASSETS[asset]
    spec = cs.AssetSpec(asset, mean_life=1.0 / delta, depreciation=delta, profile="geometric")
    stock = cs.perpetual_inventory(i, spec, initial_stock=k[:, 0])
    scale = np.where(np.abs(k) > 0, np.abs(k), 1.0)
    rel = np.abs(stock - k) / scale
    worst = np.unravel_index(np.argmax(rel), rel.shape)
    assert rel.max() <= 1e-9, (
        f"{asset}: max relative error {rel.max():.3g} at industry "
        f"{K.index[complete][worst[0]]}, year {K.columns[worst[1]]}")
