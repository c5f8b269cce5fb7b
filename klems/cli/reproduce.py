"""``klems reproduce``: published white-paper figures beside the computed values, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from klems.base.errors import ParameterError
from klems.base.provinces import province
from klems.base.vocabulary import COEFFICIENTS
from klems.cli.checks import input_province, output_file
from klems.cli.options import add_model_options, model_options
from klems.datasets.bundled import VINTAGES, WHITE_PAPER_VINTAGE
from klems.inputs.reader import read_input
from klems.outputs.files import OutputSet
from klems.pipeline.calibration import save_calibration
from klems.pipeline.options import EstimateOptions, parse_years
from klems.pipeline.reproduction import reproduce, series, to_json

FIGURE_NAMES = {  # short name -> (English, Chinese)
    "digital_economy": ("DE", "数字经济规模"),
    "digital_industrialization": ("DI", "数字产业化规模"),
    "industrial_digitalization": ("ID", "产业数字化规模"),
    "share_of_gdp": ("DE share of GDP", "数字经济占GDP比重"),
    "nominal_growth": ("DE nominal growth", "数字经济名义增速"),
    "contribution_to_gdp_growth": ("contribution to GDP growth", "对GDP增长贡献率"),
    "id_share_of_de": ("ID share of DE", "产业数字化占数字经济比重"),
    "di_share_of_de": ("DI share of DE", "数字产业化占数字经济比重"),
    "id_share_of_gdp": ("ID share of GDP", "产业数字化占GDP比重"),
    "penetration_primary": ("penetration, primary", "第一产业渗透率"),
    "penetration_secondary": ("penetration, secondary", "第二产业渗透率"),
    "penetration_tertiary": ("penetration, tertiary", "第三产业渗透率"),
}
RANGE_ZH = {
    "theta": "TFP增长中归因于ICT的份额",
    "ict_investment_scale": "投入产出表中ICT产品固定资本形成/产出比的±50%",
    "di_scale": "ICT行业增加值计入数字产业化的比例；内置数字产业化份额为0或1并截断到[0,1]，大于1无效",
}
NOTE_ZH = {
    "compared only (no calibrated coefficient moves it)": "仅对照（无校准系数能改变它）",
    ("guangxi", "share_of_gdp", 2017): "未拟合：25.5%与5200亿元意味着GDP为20392亿元，即普查前口径，"
                                       "而非同表所列的17790.68亿元；改为拟合规模",
    ("guangxi", "nominal_growth", 2017): "未拟合：增速的2016年基数未公布，且属普查前GDP口径（见2017年比重）",
}
SERIES = {
    "year": ("year", "年份"), "digital_economy": ("DE", "数字经济"),
    "share_of_gdp": ("share %", "占GDP%"), "nominal_growth": ("growth %", "增速%"),
    "digital_industrialization": ("DI", "数字产业化"), "industrial_digitalization": ("ID", "产业数字化"),
    "penetration_primary": ("pen. primary %", "一产渗透%"),
    "penetration_secondary": ("pen. secondary %", "二产渗透%"),
    "penetration_tertiary": ("pen. tertiary %", "三产渗透%"),
}
TEXT = {  # key -> (English, Chinese)
    "figure": ("figure", "指标"), "year": ("year", "年份"), "published": ("published", "公布值"),
    "calibrated": ("calibrated", "校准后"), "uncalibrated": ("uncalibrated", "未校准"),
    "deviation": ("deviation", "偏差"), "tolerance": ("tolerance", "容差"),
    "fitted": ("fitted (weight)", "拟合目标（权重）"), "within": ("within", "达标"),
    "yes": ("yes", "是"), "no": ("no", "否"),
    "head": ("Published figures for {p} beside the estimate (data vintage {v}; rule {r}). "
             "Deviations: levels in %, rates and shares in percentage points (pp); fitted "
             "figures weigh 1/tolerance; the others are held out.",
             "{p}公布数据与测算结果对照（数据口径 {v}；归属方法 {r}）。偏差：规模为百分比（%），"
             "增速与比重为百分点（pp）；拟合目标权重为容差的倒数，其余为留出检验。"),
    "coefficients": ("Calibrated coefficients (plausible range; inside it?)",
                     "校准系数（合理区间；是否在区间内）"),
    "none": ("No coefficient calibrated.", "未校准任何系数。"),
    "inside": ("inside", "在区间内"), "outside": ("at its bound: NOT inside", "位于边界：不在区间内"),
    "summary": ("Growth RMSE of the fitted years {y}: {g:.2f} pp (uncalibrated {gu:.2f}); "
                "largest level deviation of a fitted figure {l:.1f} % ; largest share "
                "deviation {s:.2f} pp; all fitted figures within tolerance: {m}",
                "拟合年份{y}增速均方根误差：{g:.2f}个百分点（未校准 {gu:.2f}）；拟合规模最大偏差 "
                "{l:.1f}%；比重最大偏差 {s:.2f}个百分点；全部拟合目标达标：{m}"),
    "identification": ("Identification: correlation of the coefficients' Jacobian columns",
                       "可识别性：系数雅可比列相关系数"),
    "notes": ("Figures not fitted, and why:", "未拟合的指标及原因："),
    "ranks": ("Ranks among the 31 provinces (31-province run, same options)",
              "31省区市排名（同一参数下的31省测算）"),
    "rank_published": ("published rank", "公布排名"),
    "series": ("Series ({w}; 亿元 and %)", "年度序列（{w}；亿元与%）"),
    "saved": ("calibration saved to {f}; use it with: klems estimate --province {p} "
              "--calibration {f}", "校准结果已保存至 {f}；使用方法：klems estimate --province {p} "
              "--calibration {f}"),
    "theta": ("uncalibrated θ: {t:.3f} ({s}); the region's own OLS {o:.3f} (s.e. {se:.3f}, "
              "R² {r2:.3f})",
              "未校准θ：{t:.3f}（{s}）；本地区自身回归 {o:.3f}（标准误 {se:.3f}，R² {r2:.3f}）"),
}


def register(sub) -> None:
    p = sub.add_parser(
        "reproduce", help="compare with the published white-paper figures, with calibration",
        description="Every published figure (Guangxi white paper 2022; CAICT national figures) "
                    "beside the computed value and its deviation (levels in %, growth rates and "
                    "shares in percentage points); at most three coefficients calibrated on "
                    "published levels and growth rates, each with its plausible range; the "
                    "figures not fitted are held out; the 31-province ranks beside the "
                    "published ones.")
    p.add_argument("--province", default=None, help="guangxi or china (or any province "
                   "with published figures; default: the province of --input, else guangxi)")
    add_model_options(p)
    p.add_argument("--calibrate", default=None,
                   help=f"comma-separated coefficients to calibrate ({', '.join(COEFFICIENTS)}; "
                        "at most three) or 'none'. Default: theta for the cumulative rule "
                        "(θ and the ICT scale are not separately identified by the targets), "
                        "theta,ict_investment_scale for contribution-plus-tfp, "
                        "ict_investment_scale for the other rules")
    p.add_argument("--calibration-years", default=None,
                   help="years whose figures are fitted, e.g. 2017-2020 (default: every year); "
                        "the others are held out")
    p.add_argument("--vintage", default=None, choices=VINTAGES,
                   help=f"data vintage (default: {WHITE_PAPER_VINTAGE}, the white paper's)")
    p.add_argument("--json", action="store_true", help="print JSON (figures, calibrated, …)")
    p.add_argument("--save", metavar="FILE", help="write the calibration to FILE (JSON) for "
                                                  "'klems estimate --calibration FILE' (default: "
                                                  "not saved)")
    p.add_argument("--no-ranks", action="store_true",
                   help="skip the 31-province run that compares the published ranks")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the report")
    p.add_argument("--input", help="a filled-in input workbook instead of the bundled data "
                                   "(default: the bundled data)")
    p.set_defaults(func=run)


def _fmt(v, unit):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    return f"{v:,.1f}" if unit == "1e8 CNY" else f"{v:.2f}"


def _dev(v, unit):
    return "" if not np.isfinite(v) else f"{v:+.1f} {unit}" if unit == "%" else f"{v:+.2f} {unit}"


def run(args) -> int:
    t = (lambda key: TEXT[key][1]) if args.lang == "zh" else (lambda key: TEXT[key][0])
    name = (lambda f: FIGURE_NAMES.get(f, (f, f))[1 if args.lang == "zh" else 0])
    # every option first (ranges, contradictions), then the input against them
    opts = model_options(args)
    EstimateOptions(**opts)
    calibrate = None
    if args.calibrate is not None:
        text = args.calibrate
        items = [c.strip() for c in text.split(",")]
        if text.strip().lower() == "none":
            calibrate = ()
        elif not any(items) or "" in items:
            raise ParameterError(f"--calibrate {text!r}: expected coefficients separated by "
                                 f"single commas (some of {', '.join(COEFFICIENTS)}) or none")
        else:
            calibrate = tuple(items)
            bad = [c for c in calibrate if c not in COEFFICIENTS]
            if bad:
                raise ParameterError(f"--calibrate: unknown coefficient(s) {bad}; expected some "
                                     f"of {', '.join(COEFFICIENTS)} or none")
            if len(set(calibrate)) < len(calibrate):
                raise ParameterError(f"--calibrate {text!r}: a coefficient given twice")
    fitted = calibrate or ()
    if args.theta is not None and "theta" in fitted:
        raise ParameterError("--theta gives θ while --calibrate asks to fit it; choose one")
    if "ict_investment_scale" in fitted and args.ict_scale is not None:
        raise ParameterError(f"--ict-scale {args.ict_scale} gives the scale while --calibrate "
                             "asks to fit it; choose one")
    if "di_scale" in fitted and args.di_scale is not None:
        raise ParameterError(f"--di-scale {args.di_scale} gives the scale while --calibrate "
                             "asks to fit it; choose one")
    years = parse_years(args.calibration_years, name="--calibration-years")
    if args.save:
        output_file(args.save, (".json",), "--save")
    key = args.province
    data = None
    if args.input:
        data = read_input(args.input)
        key = input_province(args.province, data, args.input)
    res = reproduce(key or "guangxi", calibrate=calibrate, calibration_years=years, data=data,
                    vintage=args.vintage, ranks=not args.no_ranks and data is None,
                    years=args.years, **opts)
    outs = None
    if args.save:
        target = Path(args.save)
        outs = OutputSet(target.parent)
        outs.add(target.name, lambda p: save_calibration(res, p))
    if args.json:
        print(json.dumps(to_json(res), ensure_ascii=False, indent=1, default=float))
        if outs is not None:
            outs.commit()
        return 0
    cal, unc = res["calibrated_table"], res["uncalibrated"]
    table = pd.DataFrame({
        t("figure"): cal["figure"].map(name), t("year"): cal["year"],
        t("published"): [_fmt(v, u) for v, u in zip(cal["published"], cal["unit"])],
        t("calibrated"): [_fmt(v, u) for v, u in zip(cal["computed"], cal["unit"])],
        t("deviation"): [_dev(v, u) for v, u in zip(cal["deviation"], cal["deviation_unit"])],
        t("uncalibrated"): [_fmt(v, u) for v, u in zip(unc["computed"], unc["unit"])],
        t("deviation") + " ": [_dev(v, u) for v, u in zip(unc["deviation"],
                                                          unc["deviation_unit"])],
        t("tolerance"): [f"{v:g} {u}" for v, u in zip(cal["tolerance"], cal["deviation_unit"])],
        t("fitted"): [f"{t('yes')} ({w:.2f})" if f else "" for f, w in
                      zip(cal["target"], cal["weight"])],
        t("within"): cal["within_tolerance"].map({True: t("yes"), False: t("no")}),
    })
    region = province(res["province"])
    print(t("head").format(p=region.short_zh if args.lang == "zh" else region.en,
                           v=res.get("vintage") or "user data",
                           r=res["options"]["attribution"]))
    print(table.to_string(index=False))
    print()
    if res["calibrated"]:
        print(t("coefficients"))
        for r in res["coefficients"].itertuples():
            why = RANGE_ZH.get(r.coefficient, r.range_reason) if args.lang == "zh" \
                else r.range_reason
            print(f"  {r.coefficient} = {r.value:.4g}  [{r.low:g}, {r.high:g}]  "
                  f"{t('inside') if r.inside else t('outside')}  ({why})")
        corr = res.get("fit", {}).get("jacobian_correlation")
        if corr:
            print("  " + t("identification") + ": " + ", ".join(
                f"{k} {v:+.3f}" for k, v in corr.items()))
    else:
        print(t("none"))
    attrs = res["uncalibrated_result"].attrs
    if "theta_ols" in attrs:
        print(t("theta").format(t=attrs["theta"], s=attrs["theta_source"], o=attrs["theta_ols"],
                                se=attrs["theta_se"], r2=attrs["theta_r2"]))
    s, su = res["summary"], res["summary_uncalibrated"]
    print(t("summary").format(y=s["growth_years"], g=s["growth_rmse_pp"],
                              gu=su["growth_rmse_pp"], l=s["max_level_deviation_pct"],
                              s=s["max_share_deviation_pp"],
                              m=t("yes") if res["targets_met"] else t("no")))
    notes = cal[cal.note.str.startswith("not fitted") | (cal.figure == "digital_"
                                                        "industrialization")]
    if len(notes):
        print(t("notes"))
        for r in notes.itertuples():
            note = r.note
            if args.lang == "zh":
                note = NOTE_ZH.get((res["province"], r.figure, int(r.year)),
                                   NOTE_ZH.get(note, note))
            print(f"  {name(r.figure)} {r.year}: {note}")
    if "ranks" in res and len(res["ranks"]):
        print()
        print(t("ranks"))
        ranks = res["ranks"].pivot(index=["figure", "year", "published_rank"],
                                   columns="options", values="computed_rank").reset_index()
        ranks["figure"] = ranks["figure"].map(name)
        ranks = ranks.rename(columns={"figure": t("figure"), "year": t("year"),
                                      "published_rank": t("rank_published"),
                                      "calibrated": t("calibrated"),
                                      "uncalibrated": t("uncalibrated")})
        print(ranks.to_string(index=False))
    if res.get("years"):
        for label, key in (("calibrated", "calibrated_result"),
                           ("uncalibrated", "uncalibrated_result")):
            if label == "calibrated" and not res["calibrated"]:
                continue
            frame = series(res[key], res["years"])
            frame.columns = [SERIES.get(c, (c, c))[1 if args.lang == "zh" else 0]
                             for c in frame.columns]
            print()
            print(t("series").format(w=t(label)))
            print(frame.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    if outs is not None:
        outs.commit()
        print(t("saved").format(f=args.save, p=res["province"]))
    return 0
