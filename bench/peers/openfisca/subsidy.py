"""令和7年度 地域診療情報連携推進費補助金 (policies/r7/subsidy.onshi) as an OpenFisca tax-benefit system.

One entity (施設, a facility applying for the subsidy); the period is the fiscal year 令和7年度
(`year:2025-04`). The table 補助内容 is the parameter tree `parameters/補助内容.yaml`, looked up
with OpenFisca's fancy indexing by the 事業 and 補助区分 enum arrays. `SelectTable` is a reform that
computes the same four columns with numpy.select over the same parameters instead.
"""

import os

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.model_api import YEAR, Enum, Reform, Variable, date, max_, min_, not_, select, where
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

PERIOD = "year:2025-04"  # 令和7年度
申請期限 = np.datetime64("2026-01-15")  # 令和8年1月15日 (周知依頼 本文)
機器故障時の受付開始日 = np.datetime64("2025-06-30")  # 機器故障時の利用の申請受付開始 (解説記事)

施設 = build_entity(key="施設", plural="施設一覧", label="補助金を申請する医療機関・薬局", is_person=True)


class 保険医療機関種別(Enum):
    病院 = "病院"
    診療所 = "診療所"
    歯科診療所 = "歯科診療所"
    薬局 = "薬局"


class 事業種別(Enum):
    訪問診療等 = "訪問診療等"
    オンライン診療等 = "オンライン診療等"
    外来診療等 = "外来診療等"
    資格確認限定型 = "資格確認限定型"


class 補助区分種別(Enum):
    病院 = "病院"
    大型チェーン薬局 = "大型チェーン薬局"
    診療所_薬局 = "診療所・薬局"


def _variable(name, value_type, label, formula=None, **extra):
    """A Variable class of the entity 施設 for the fiscal year (inputs have no formula)."""
    attributes = dict(value_type=value_type, entity=施設, definition_period=YEAR, label=label, **extra)
    if formula is not None:
        attributes["formula"] = formula
    return type(name, (Variable,), attributes)


# ----------------------------------------------------------------------------------------------- inputs
INPUTS = [
    _variable("施設種別", Enum, "保険医療機関種別", possible_values=保険医療機関種別,
              default_value=保険医療機関種別.病院),
    _variable("グループ処方箋受付回数", int, "グループの処方箋受付回数（月）"),
    _variable("事業", Enum, "補助の対象となる事業", possible_values=事業種別,
              default_value=事業種別.訪問診療等),
    _variable("モバイル端末費用", int, "モバイル端末の費用（円）"),
    _variable("レセコン改修費用", int, "レセプトコンピュータの改修等の費用（円）"),
    _variable("汎用機器費用", int, "汎用機器の費用（円、資格確認限定型）"),
    _variable("申請日", date, "申請日"),
    _variable("義務化対象外", bool, "オンライン資格確認の義務化の対象外の施設"),
    _variable("機器故障時", bool, "外来診療等の申請が機器故障時の利用のためのもの"),
] + [
    # 補助済事業 (a set in onshi): one boolean per 事業.
    _variable(f"補助済_{j.name}", bool, f"{j.value}で補助を受けた") for j in 事業種別
]


# --------------------------------------------------------------------------------------------- formulas
def 補助区分(施設, period, parameters):
    """補助区分の判定 (common/facility.onshi)."""
    kind = 施設("施設種別", period)
    large = 施設("グループ処方箋受付回数", period) >= parameters(period).大型チェーン薬局の受付回数
    return select(
        [kind == 保険医療機関種別.病院, (kind == 保険医療機関種別.薬局) * large],
        [補助区分種別.病院, 補助区分種別.大型チェーン薬局],
        default=補助区分種別.診療所_薬局,
    )


def _column(column):
    """One column of 補助内容(事業, 区分), by fancy indexing of the parameter tree."""

    def formula(施設, period, parameters):
        row = parameters(period).補助内容[施設("事業", period)][施設("補助区分", period)]
        return row[column]

    return formula


def 対象事業額(施設, period, parameters):
    jigyo = 施設("事業", period)
    capped = min_(施設("モバイル端末費用", period), 施設("端末上限", period)) + min_(
        施設("レセコン改修費用", period), 施設("改修上限", period)
    )
    return where(jigyo == 事業種別.資格確認限定型, 施設("汎用機器費用", period), capped)


def 補助済(施設, period):
    """事業 ∈ 補助済事業."""
    jigyo = 施設("事業", period)
    return select([jigyo == j for j in 事業種別], [施設(f"補助済_{j.name}", period) for j in 事業種別])


def 同一システム補助済(施設, period):
    """オンライン診療等と外来診療等は同じシステム: いずれかで補助済みなら他方は対象外."""
    jigyo = 施設("事業", period)
    same_system = (jigyo == 事業種別.オンライン診療等) + (jigyo == 事業種別.外来診療等)
    return same_system * (施設("補助済_オンライン診療等", period) + 施設("補助済_外来診療等", period))


def 対象施設(施設, period):
    """資格確認限定型は義務化対象外施設だけ."""
    return (施設("事業", period) != 事業種別.資格確認限定型) + 施設("義務化対象外", period)


def 受付開始前(施設, period):
    """外来診療等の機器故障時の利用は 機器故障時の受付開始日 から."""
    outpatient = 施設("事業", period) == 事業種別.外来診療等
    early = 施設("申請日", period) < 機器故障時の受付開始日
    return outpatient * 施設("機器故障時", period) * early


def 申請可(施設, period):
    on_time = 施設("申請日", period) <= 申請期限
    return (
        on_time
        * not_(施設("同一システム補助済", period))
        * not_(施設("補助済", period))
        * 施設("対象施設", period)
        * not_(施設("受付開始前", period))
    )


def 補助額(施設, period):
    """min(補助限度額, 1,000円未満切り捨て(補助率 × 対象事業額)); 0 unless 申請可."""
    subsidy = np.floor(施設("補助率", period) * 施設("対象事業額", period) / 1000) * 1000
    amount = min_(施設("補助限度額", period), max_(subsidy, 0))
    return where(施設("申請可", period), amount, 0)


COLUMNS = [("補助率", float, "補助率"), ("補助限度額", int, "補助限度額（円）"),
           ("端末上限", int, "事業額上限のうち端末（円）"), ("改修上限", int, "事業額上限のうち改修（円）")]

OUTPUTS = [
    _variable("補助区分", Enum, "補助区分", 補助区分, possible_values=補助区分種別,
              default_value=補助区分種別.診療所_薬局),
    *[_variable(name, t, label, _column(name)) for name, t, label in COLUMNS],
    _variable("対象事業額", int, "対象事業額（円）", 対象事業額),
    _variable("補助済", bool, "申請する事業で補助済み", 補助済),
    _variable("同一システム補助済", bool, "同一システムで補助済み", 同一システム補助済),
    _variable("対象施設", bool, "申請する事業の対象となる施設", 対象施設),
    _variable("受付開始前", bool, "機器故障時の利用の申請受付開始前", 受付開始前),
    _variable("申請可", bool, "申請可", 申請可),
    _variable("補助額", int, "補助額（円）", 補助額),
]


def tax_benefit_system():
    system = TaxBenefitSystem([施設])
    system.add_variables(*INPUTS, *OUTPUTS)
    system.load_parameters(os.path.join(os.path.dirname(os.path.abspath(__file__)), "parameters"))
    return system


class SelectTable(Reform):
    """The same four columns of 補助内容 with numpy.select over (事業, 補助区分) conditions."""

    name = "補助内容 by numpy.select"

    def apply(self):
        def select_column(column):
            def formula(施設, period, parameters):
                table = parameters(period).補助内容
                jigyo, cls = 施設("事業", period), 施設("補助区分", period)
                conditions, values = [], []
                for j in 事業種別:
                    for c in 補助区分種別:
                        conditions.append((jigyo == j) * (cls == c))
                        values.append(table[j.name][c.name][column])
                return select(conditions, values)

            return formula

        for name, t, label in COLUMNS:
            self.update_variable(_variable(name, t, label, select_column(name)))
