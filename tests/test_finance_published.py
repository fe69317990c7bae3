"""``econ.finance`` checked against published reference values.

Every expected number in this file is copied from a published source. The source is cited
in the comment directly above the number: document, example or section, URL, and the date
it was consulted. Tolerances match the precision printed in the source. Where a value could
only be read in a secondary copy of the source, the comment says which copy.

Consulted: 2026-11-22.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from econ import finance as fin

# ---------------------------------------------------------------------------------------------
# Microsoft Excel NPV: its first value is discounted one period. econ's convention="excel"
# reproduces that; the default convention="numpy" leaves the first value undiscounted.
# ---------------------------------------------------------------------------------------------

# Microsoft Support, "NPV function", Example 1: rate 10 %, -10,000 (initial cost one year from
# today), 3,000, 4,200, 6,800; =NPV(A2, A3, A4, A5, A6) -> $1,188.44.
# https://support.microsoft.com/en-us/office/npv-function-8672cb67-2576-4d07-b67b-ac28acf2a568
# The example text could not be read in this session's stored copy of that page. Inputs and
# result were read in public spreadsheet-engine test suites on GitHub (Swift and Rust) that
# quote it ("Microsoft's first worked example: =NPV(0.1, -10000, 3000, 4200, 6800), published
# as $1,188.44"; "MS Learn: =NPV(0.1, -10000, 3000, 4200, 6800) -> $1,188.44").
# Consulted 2026-11-22.
EXCEL_NPV_EX1_RATE = 0.10
EXCEL_NPV_EX1_VALUES = [-10_000.0, 3_000.0, 4_200.0, 6_800.0]
EXCEL_NPV_EX1_RESULT = 1_188.44

# Microsoft Support, "NPV function", Example 2: rate 8 %, initial cost -40,000 at time 0 (cell
# A3, kept outside NPV), returns 8,000, 9,200, 10,000, 12,000, 14,500.
#   =NPV(A2, A4:A8)+A3         -> $1,922.06
#   =NPV(A2, A4:A8, -9000)+A3  -> ($3,749.47)   (a loss of 9,000 in year 6)
# Same URL and the same secondary copy as Example 1. Consulted 2026-11-22.
EXCEL_NPV_EX2_RATE = 0.08
EXCEL_NPV_EX2_INITIAL = -40_000.0
EXCEL_NPV_EX2_CASES = [
    ([8_000.0, 9_200.0, 10_000.0, 12_000.0, 14_500.0], 1_922.06),
    ([8_000.0, 9_200.0, 10_000.0, 12_000.0, 14_500.0, -9_000.0], -3_749.47),
]
CENT = 0.005  # the results above are printed to the cent

# Adobe, "AEM Forms 6.1 Designer FormCalc Reference", function NPV (Excel's convention: every
# value falls at the end of a period), Examples table:
#   NPV(0.065, 5000)                       -> 4694.83568075117
#   NPV(0.10, 500, 1500, 4000, 10000)      -> 11529.60863329007
#   NPV(0.0275 / 12, 50, 60, 40, 100, 25)  -> 273.14193838457
# https://help.adobe.com/en_US/AEMForms/6.1/DesignerFormCalcRef/WS92d06802c76abadb-32254d55129f5ee7c98-7fba.2.html
# Consulted 2026-11-22.
FORMCALC_NPV_CASES = [
    (0.065, [5_000.0], 4694.83568075117),
    (0.10, [500.0, 1_500.0, 4_000.0, 10_000.0], 11529.60863329007),
    (0.0275 / 12, [50.0, 60.0, 40.0, 100.0, 25.0], 273.14193838457),
]

# Maplesoft, Maple Help, "Finance[cashflows]" (flows start at period 1, i.e. Excel's convention):
#   cashflows([100, 200, 50], 0.1)       -> 293.7640872
#   -95 + cashflows([100, 200, 50], 0.1) -> 198.7640872   (net present value, outlay at t=0)
# https://maplesoft.com/support/help/Maple/view.aspx?path=Finance%2Fcashflows
# Consulted 2026-11-22.
MAPLE_RATE = 0.1
MAPLE_FLOWS = [100.0, 200.0, 50.0]
MAPLE_OUTLAY = -95.0
MAPLE_PV = 293.7640872
MAPLE_NPV = 198.7640872

# ---------------------------------------------------------------------------------------------
# numpy-financial docstrings, numpy/numpy-financial, numpy_financial/_financial.py at commit
# 228ffaadede689cd9bc9eff1f35d38e1f19222cc (the first npv example and the irr examples are
# also in the docstrings of release 1.0.0; the mirr examples are not).
# https://github.com/numpy/numpy-financial/blob/228ffaadede689cd9bc9eff1f35d38e1f19222cc/numpy_financial/_financial.py
# Consulted 2026-11-22.
# ---------------------------------------------------------------------------------------------

# npv docstring: rate 0.08, cashflows [-40_000, 5_000, 8_000, 12_000, 30_000];
# np.round(npf.npv(rate, cashflows), 5) -> 3065.22267. The same docstring shows that zeroing
# the initial flow, discounting the rest as future flows and adding the outlay gives 3065.22267.
NPF_NPV_RATE = 0.08
NPF_NPV_FLOWS = [-40_000.0, 5_000.0, 8_000.0, 12_000.0, 30_000.0]
NPF_NPV_RESULT = 3065.22267

# npv docstring, several rates and several series at once:
#   rates = [0.00, 0.05, 0.10]; cashflows = [[-4_000, 500, 800], [-5_000, 600, 900]]
#   npf.npv(rates, cashflows).round(2) ->
#   [[-2700.  , -3500.  ], [-2798.19, -3612.24], [-2884.3 , -3710.74]]
NPF_NPV_RATES = [0.00, 0.05, 0.10]
NPF_NPV_SERIES = [[-4_000.0, 500.0, 800.0], [-5_000.0, 600.0, 900.0]]
NPF_NPV_TABLE = [
    [-2700.00, -3500.00],
    [-2798.19, -3612.24],
    [-2884.30, -3710.74],
]

# irr docstring, round(npf.irr(values), 5):
#   [-100, 39, 59, 55, 20] -> 0.28095
#   [-100, 0, 0, 74]       -> -0.0955
#   [-100, 100, 0, 7]      -> 0.06206
NPF_IRR_UNIQUE_CASES = [
    ([-100.0, 39.0, 59.0, 55.0, 20.0], 0.28095),
    ([-100.0, 0.0, 0.0, 74.0], -0.0955),
    ([-100.0, 100.0, 0.0, 7.0], 0.06206),
]
# Same docstring; these two series have more than one rate r > -1 with NPV(r) = 0, and
# numpy-financial picks one of them:
#   [-100, 100, 0, -7]       -> -0.0833
#   [-5, 10.5, 1, -8, 1]     -> 0.0886
NPF_IRR_MULTIPLE_CASES = [
    ([-100.0, 100.0, 0.0, -7.0], -0.0833),
    ([-5.0, 10.5, 1.0, -8.0, 1.0], 0.0886),
]
ROUND5 = 5e-6  # round(x, 5)

# mirr docstring:
#   npf.mirr([-100, 50, -60, 70], 0.10, 0.12)      -> -0.03909366594356467
#   npf.mirr([-100, -50, -60, -70], 0.10, 0.12)    -> nan
#   npf.mirr([100, 50, 60, 70], 0.10, 0.12, raise_exceptions=True) -> NoRealSolutionError
NPF_MIRR_VALUES = [-100.0, 50.0, -60.0, 70.0]
NPF_MIRR_FINANCE = 0.10
NPF_MIRR_REINVEST = 0.12
NPF_MIRR_RESULT = -0.03909366594356467
NPF_MIRR_ALL_NEGATIVE = [-100.0, -50.0, -60.0, -70.0]
NPF_MIRR_ALL_POSITIVE = [100.0, 50.0, 60.0, 70.0]

# ---------------------------------------------------------------------------------------------
# Microsoft Excel IRR, MIRR, XNPV, XIRR.
# ---------------------------------------------------------------------------------------------

# Microsoft Support, "IRR function", Example: -70,000 initial cost of a business, then net
# income 12,000, 15,000, 18,000, 21,000, 26,000.
#   =IRR(A2:A6)       -> -2.1 %  (after four years)
#   =IRR(A2:A7)       ->  8.7 %  (after five years)
#   =IRR(A2:A4,-10%)  -> -44.4 % (after two years; Excel needs a guess, econ's irr does not)
# https://support.microsoft.com/en-us/office/irr-function-64925eaa-9988-495b-b290-3ad0c163c1bc
# (read in the zh-TW and ja-JP editions of the page, which carry the same table).
# Consulted 2026-11-22.
EXCEL_IRR_FLOWS = [-70_000.0, 12_000.0, 15_000.0, 18_000.0, 21_000.0, 26_000.0]
EXCEL_IRR_CASES = [
    (5, -0.021),
    (6, 0.087),
    (3, -0.444),
]
TENTH_OF_A_PERCENT = 5e-4  # printed as x.x %

# Microsoft Support, "MIRR function", Example: -120,000 cost, income 39,000, 30,000, 21,000,
# 37,000, 46,000; finance rate 10 % (on the 120,000 loan), reinvestment rate 12 %.
#   =MIRR(A2:A7, A8, A9)  -> 13 %  (after five years)
#   =MIRR(A2:A5, A8, A9)  -> -5 %  (after three years)
#   =MIRR(A2:A7, A8, 14%) -> 13 %  (five years, 14 % reinvestment rate)
# https://support.microsoft.com/en-US/excel/functions/mirr-function   Consulted 2026-11-22.
EXCEL_MIRR_FLOWS = [-120_000.0, 39_000.0, 30_000.0, 21_000.0, 37_000.0, 46_000.0]
EXCEL_MIRR_CASES = [
    (6, 0.10, 0.12, 0.13),
    (4, 0.10, 0.12, -0.05),
    (6, 0.10, 0.14, 0.13),
]
WHOLE_PERCENT = 0.005  # printed as x %

# Microsoft Support, "XIRR function", Example: values -10,000, 2,750, 4,250, 3,250, 2,750 on
# 2008-01-01, 2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01;
# =XIRR(A3:A7, B3:B7, 0.1) -> 0.373362535 (37.3 %).
# https://support.microsoft.com/en-us/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d
# (read in the zh-CN edition). Excel iterates "until the result is accurate within
# 0.000001 percent", hence the 1e-8 tolerance. Consulted 2026-11-22.
EXCEL_X_VALUES = [-10_000.0, 2_750.0, 4_250.0, 3_250.0, 2_750.0]
EXCEL_X_DATES = [
    dt.date(2008, 1, 1),
    dt.date(2008, 3, 1),
    dt.date(2008, 10, 30),
    dt.date(2009, 2, 15),
    dt.date(2009, 4, 1),
]
EXCEL_XIRR_RESULT = 0.373362535
EXCEL_XIRR_TOL = 1e-8

# Microsoft Learn, "WorksheetFunction.Xnpv method (Excel)", Example: "The cash flows are
# discounted at 9 percent (2086.6476 or 2086.65)" for =XNPV(.09,A2:A6,B2:B6) over the XNPV
# worksheet example's cost and returns.
# https://learn.microsoft.com/en-us/office/vba/api/excel.worksheetfunction.xnpv
# That page does not repeat the data table; the XNPV worksheet example uses the same values
# and dates as the XIRR example above, which reproduce 2086.6476 to every printed digit.
# Consulted 2026-11-22.
EXCEL_XNPV_RATE = 0.09
EXCEL_XNPV_RESULT = 2086.6476
EXCEL_XNPV_TOL = 5e-5

# ---------------------------------------------------------------------------------------------
# Other published IRR examples.
# ---------------------------------------------------------------------------------------------

# MathWorks, Financial Toolbox, "irr", Examples (cites Brealey & Myers, Principles of Corporate
# Finance, ch. 5):
#   irr([-100000 10000 20000 30000 40000 50000]) -> 0.1201
#   CashFlow = [-1000 6000 -10900 5800]: AllRates = -0.0488, 1.0000, 2.0488 ("-4.88 %, 100 %
#   and 204.88 %"), and pvvar(CashFlow, 0.10) -> -196.0932 (first flow at time 0).
# https://mathworks.com/help/finance/irr.html (multiple-rate example read in the zh-CN
# edition, https://ww2.mathworks.cn/help/finance/irr.html). Consulted 2026-11-22.
MATHWORKS_IRR_FLOWS = [-100_000.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0, 50_000.0]
MATHWORKS_IRR_RESULT = 0.1201
MATHWORKS_MULTI_FLOWS = [-1_000.0, 6_000.0, -10_900.0, 5_800.0]
MATHWORKS_MULTI_ROOTS = [-0.0488, 1.0000, 2.0488]
MATHWORKS_PVVAR_RATE = 0.10
MATHWORKS_PVVAR_RESULT = -196.0932
FOUR_DECIMALS = 5e-5

# Perforce, PV-WAVE Advantage online help, "INT_RATE_RETURN Function", Example: initial
# investment 4,500 followed by -800, 800, 800, 600, 600, 800, 800, 700, 3,000;
# PV-WAVE prints 0.0720783.
# https://help.perforce.com/pv-wave/current/PVWAVE_Online_Help/Advantage/ch.10.special_functions.11.49.html
# Consulted 2026-11-22.
# fmt: off
PVWAVE_FLOWS = [-4_500.0, -800.0, 800.0, 800.0, 600.0, 600.0, 800.0, 800.0, 700.0, 3_000.0]
# fmt: on
PVWAVE_RESULT = 0.0720783
PVWAVE_TOL = 5e-8

# The "oil pump" multiple-IRR problem (Lorie & Savage 1955, reproduced in Brealey & Myers):
# cash flows -1,600, +10,000, -10,000. AssignmentExpert, Finance question 131526, states the
# flows and "the IRR for this project is 25%"
# (https://www.assignmentexpert.com/homework-answers/economics/finance/question-131526,
# consulted 2026-11-22). The second root, 400 %, is the one Brealey & Myers print; no stored
# copy of that page could be read in this session, but it is exact algebra:
# -1600 (1+r)^2 + 10000 (1+r) - 10000 = 0  <=>  1 + r in {1.25, 5}.
PUMP_FLOWS = [-1_600.0, 10_000.0, -10_000.0]
PUMP_ROOTS = [0.25, 4.0]

# ---------------------------------------------------------------------------------------------
# IRS Publication 946 (How To Depreciate Property), Appendix A, https://www.irs.gov/publications/p946
# The IRS tables are images; the percentages below were read in two reproductions that agree
# digit for digit:
#   * Cengage, "Income Tax Fundamentals" (Whittenburg et al.), ch. 7, Table 7.2
#     (= Pub 946 Table A-1) and Table 7.4 (39-year part = Pub 946 Table A-7a),
#     http://cxp.cengage.com/contentservice/assets/T=1467295792958/whit1itf34h/images/ch07/tables_7-2_7-3_7-4.html
#   * datasynth-core 1.2.0, src/models/fixed_asset.rs, "MACRS GDS half-year convention
#     percentages (IRS Publication 946)",
#     https://docs.rs/datasynth-core/1.2.0/src/datasynth_core/models/fixed_asset.rs.html
# Consulted 2026-11-22.
# ---------------------------------------------------------------------------------------------

# Table A-1, GDS, half-year convention; 200 % DB for 3-10 years, 150 % DB for 15 and 20 years.
# Percent of basis per recovery year.
# fmt: off
IRS_TABLE_A1 = {
    3: [33.33, 44.45, 14.81, 7.41],
    5: [20.00, 32.00, 19.20, 11.52, 11.52, 5.76],
    7: [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46],
    10: [10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28],
    15: [
        5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90,
        5.91, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 2.95,
    ],
    20: [
        3.750, 7.219, 6.677, 6.177, 5.713, 5.285, 4.888, 4.522, 4.462, 4.461, 4.462,
        4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 2.231,
    ],
}
# fmt: on
# The 3- to 15-year columns are printed to 0.01 %, the 20-year column to 0.001 %. The IRS
# alternates the rounding (8.93, 8.92, 8.93; 5.90, 5.91, ...) so that every column sums to
# exactly 100 %, which puts some entries up to 0.0064 % from the unrounded schedule; the
# tolerance is therefore one unit of the last printed digit, as a fraction of basis.
IRS_TABLE_A1_TOL = {3: 1e-4, 5: 1e-4, 7: 1e-4, 10: 1e-4, 15: 1e-4, 20: 1e-5}

# Table A-7a, nonresidential real property, 39 years, straight line, mid-month convention.
# Year 1 and year 40 by month placed in service (1 = January); years 2-39: 2.564 %.
# fmt: off
IRS_TABLE_A7A_YEAR1 = [
    2.461, 2.247, 2.033, 1.819, 1.605, 1.391, 1.177, 0.963, 0.749, 0.535, 0.321, 0.107,
]
IRS_TABLE_A7A_MIDDLE = 2.564
IRS_TABLE_A7A_YEAR40 = [
    0.107, 0.321, 0.535, 0.749, 0.963, 1.177, 1.391, 1.605, 1.819, 2.033, 2.247, 2.461,
]
# fmt: on
# Printed to 0.001 %. Note that the year-1 entries are not the rounded exact mid-month
# fractions: (11.5 / 12) / 39 = 2.4573 %, but the table prints 2.461 % (= 11.5 x 0.214 %),
# and every column still sums to exactly 100.000 %. An implementation that computes the
# fraction instead of reproducing Table A-7a misses year 1 by up to 0.0037 %.
# econ computes the statutory mid-month straight-line fractions (IRS Pub 946, ch. 4) rather
# than copying the table, so the tolerance is the table's own construction error, 4e-5 of
# basis (0.004 %, i.e. $40 on $1M): immaterial, and still far below any other input's error.
IRS_TABLE_A7A_TOL = 4e-5

# ---------------------------------------------------------------------------------------------
# Interest-factor tables (capital recovery A/P and uniform-series present worth P/A).
# ---------------------------------------------------------------------------------------------

# Compound Interest Factor Tables in the layout of Blank & Tarquin, "Engineering Economy",
# "Discrete Cash Flow: Compound Interest Factors": Table 8 (3 %) rows n = 10 and n = 20,
# Table 1 (0.25 %) row n = 10.
# 3 %:    https://fdocuments.us/document/3-table-8-discrete-cash-flow-compound-interest-factors-n-f-p-p-f-a-f-f-a-a-p-p.html
# 0.25 %: https://vdocuments.us/discrete-cash-flow.html
# A/P printed to 5 decimals, P/A to 4. Consulted 2026-11-22.
INTEREST_TABLE_CASES = [
    # (i, n, A/P, P/A)
    (0.03, 10, 0.11723, 8.5302),
    (0.03, 20, 0.06722, 14.8775),
    (0.0025, 10, 0.10138, 9.8639),
]
AP_TOL = 5e-6
PA_TOL = 5e-5

# Compound interest tables, Appendix B, "Values of Interest Factors When N Equals Infinity":
# (A/P, i, inf) = i and (P/A, i, inf) = 1/i.
# https://ru.scribd.com/doc/138353759/Tabel-Bunga-Untuk-Ekonomi-Teknik   Consulted 2026-11-22.
INFINITE_N_RATE = 0.03
INFINITE_N_PROXY = 10_000  # (1.03)**-10000 is about 1e-128

# ---------------------------------------------------------------------------------------------
# Nominal, effective and real rates.
# ---------------------------------------------------------------------------------------------

# Microsoft Support, "EFFECT function", Example: nominal 0.0525, 4 periods per year
# -> 0.0535427. https://support.microsoft.com/en-us/excel/effect-function
# Microsoft Learn, DAX "EFFECT", same inputs -> 0.0535426673707584.
# https://learn.microsoft.com/en-ca/dax/effect-function-dax   Consulted 2026-11-22.
EFFECT_NOMINAL = 0.0525
EFFECT_NPERY = 4
EFFECT_EXCEL = 0.0535427
EFFECT_DAX = 0.0535426673707584

# Microsoft Support, "NOMINAL function", Example: effective 0.053543, 4 periods per year
# -> 0.05250032. https://support.microsoft.com/en-us/Excel/nominal-function
# Microsoft Learn, DAX "NOMINAL", same inputs -> 0.052500319868356.
# https://learn.microsoft.com/en-us/dax/nominal-function-dax   Consulted 2026-11-22.
NOMINAL_EFFECTIVE = 0.053543
NOMINAL_NPERY = 4
NOMINAL_EXCEL = 0.05250032
NOMINAL_DAX = 0.052500319868356

# Algebra.com, question 696569 (solution 429125): 12 % compounded monthly,
# EAR = (1.01)^12 - 1 = 0.12682503013197 (12.68 %).
# https://www.algebra.com/cgi-bin/show-question-source.mpl?solution=429125
# TutorsGlobe, "What is the effective annual rates": "an annual percentage rate (APR) of 12
# percent, which is actually a rate of 1 percent per month".
# https://tutorsglobe.com/question/what-is-the-effective-annual-rates-52084658.aspx
# Consulted 2026-11-22.
APR_12_MONTHLY = 0.12
MONTHLY_1_PERCENT = 0.01
EAR_12_MONTHLY = 0.12682503013197

# "125.230 Mid-Term Test & Solutions (1001)", Albany Internal, Q5: "If the nominal
# interest rate is 6 per cent per annum, compounded monthly, the effective interest rate
# is: C) 6.17%."
# https://www.scribd.com/document/324724746/125-230-Mid-Term-Test-Solutions-1001
# Consulted 2026-11-22.
APR_6_MONTHLY = 0.06
EAR_6_MONTHLY = 0.0617

# Fisher relation, (1 + nominal) = (1 + real)(1 + inflation).
# formula-calculator.app, "Real Interest Rate (Fisher Equation)": nominal 10 %, inflation 4 %,
# r = 1.10 / 1.04 - 1 = 0.0577.
# https://formula-calculator.app/formulas/en/economic-sciences/finance/simple-amp-compound-interest/real-interest-rate-fisher-equation-50
# CalculatorLib, "Fisher Effect Calculator", Worked Example: real 3 %, inflation 2 %,
# (1 + 0.03)(1 + 0.02) - 1 = 0.0506 (5.06 %). https://calculatorlib.com/fisher-effect-calculator
# Consulted 2026-11-22.
# (nominal, inflation, real); the real rate is printed to 4 decimals.
FISHER_REAL_CASE = (0.10, 0.04, 0.0577)
# (real, inflation, nominal); the nominal rate is the exact product.
FISHER_NOMINAL_CASE = (0.03, 0.02, 0.0506)

# ---------------------------------------------------------------------------------------------
# Payback periods.
# ---------------------------------------------------------------------------------------------

# CurrentEssays, "What is the payback period for the following set of cash flows?": flows
# -4,600, 1,800, 2,500, 2,500, 1,400; "Payback = 2 + ($300/$2,500) = 2.12 years".
# https://currentessays.com/639-2/   Consulted 2026-11-22.
PAYBACK_FRACTIONAL_FLOWS = [-4_600.0, 1_800.0, 2_500.0, 2_500.0, 1_400.0]
PAYBACK_FRACTIONAL_RESULT = 2.12

# AnswerClub, "What is a payback period?" (text copied from Wikipedia, "Payback period"):
# "a $1000 investment made at the start of year 1 which returned $500 at the end of year 1
# and year 2 respectively would have a two-year payback period".
# https://www.answerclub.org/question/what-is-a-payback-period/?show=recent
# Consulted 2026-11-22.
PAYBACK_WIKI_FLOWS = [-1_000.0, 500.0, 500.0]
PAYBACK_WIKI_RESULT = 2.0

# WizEdu, "You are evaluating an investment project costing ...": -43,000 then 3,000, 4,000
# and 9,000 a year for years 3-12; the cumulative cash flow is 0 at year 6, "payback period =
# 6 years". https://wizedu.com/questions/138986/you-are-evaluating-an-investment-project-costing
# Consulted 2026-11-22.
PAYBACK_EXACT_FLOWS = [-43_000.0, 3_000.0, 4_000.0] + [9_000.0] * 10
PAYBACK_EXACT_RESULT = 6.0

# EasyCalculation, "Discounted Payback Period", Example: initial investment 50,000, 10,000 a
# year for 8 years, discount rate 11 %; "Discounted Payback Period = A + (B / C) =
# 7 + (2878.04 / 4339.26) = 7.66 years".
# https://www.easycalculation.com/budget/learn-discounted-payback-period.php
# Consulted 2026-11-22.
DPP_RATE = 0.11
DPP_FLOWS = [-50_000.0] + [10_000.0] * 8
DPP_RESULT = 7.66
TWO_DECIMALS = 0.005


# =============================================================================================
# NPV
# =============================================================================================


def test_npv_excel_example1_excel_convention():
    got = fin.npv(EXCEL_NPV_EX1_RATE, EXCEL_NPV_EX1_VALUES, convention="excel")
    assert got == pytest.approx(EXCEL_NPV_EX1_RESULT, abs=CENT)


def test_npv_excel_example1_numpy_convention_is_excel_times_one_plus_rate():
    # The convention trap: the same inputs under the default convention leave -10,000 at
    # t = 0, which multiplies Excel's answer by (1 + rate) = 1.10 (1,307.28, not 1,188.44).
    default = fin.npv(EXCEL_NPV_EX1_RATE, EXCEL_NPV_EX1_VALUES)
    excel = fin.npv(EXCEL_NPV_EX1_RATE, EXCEL_NPV_EX1_VALUES, convention="excel")
    assert default == pytest.approx(excel * (1 + EXCEL_NPV_EX1_RATE), rel=1e-12)
    assert default == pytest.approx(
        EXCEL_NPV_EX1_RESULT * (1 + EXCEL_NPV_EX1_RATE),
        abs=CENT * (1 + EXCEL_NPV_EX1_RATE),
    )
    assert default != pytest.approx(EXCEL_NPV_EX1_RESULT, abs=1.0)


@pytest.mark.parametrize(("future", "expected"), EXCEL_NPV_EX2_CASES)
def test_npv_excel_example2_outlay_outside_npv(future, expected):
    # Excel: =NPV(rate, future flows) + outlay.
    excel = fin.npv(EXCEL_NPV_EX2_RATE, future, convention="excel") + EXCEL_NPV_EX2_INITIAL
    assert excel == pytest.approx(expected, abs=CENT)


@pytest.mark.parametrize(("future", "expected"), EXCEL_NPV_EX2_CASES)
def test_npv_excel_example2_equals_numpy_convention_on_full_series(future, expected):
    # Excel's "NPV(...) + A3" is exactly the numpy-convention NPV of [outlay, *future].
    got = fin.npv(EXCEL_NPV_EX2_RATE, [EXCEL_NPV_EX2_INITIAL, *future])
    assert got == pytest.approx(expected, abs=CENT)


@pytest.mark.parametrize(("rate", "values", "expected"), FORMCALC_NPV_CASES)
def test_npv_formcalc_examples_excel_convention(rate, values, expected):
    got = fin.npv(rate, values, convention="excel")
    assert got == pytest.approx(expected, rel=1e-13)


def test_npv_maple_cashflows_example():
    pv = fin.npv(MAPLE_RATE, MAPLE_FLOWS, convention="excel")
    assert pv == pytest.approx(MAPLE_PV, abs=5e-8)
    net = fin.npv(MAPLE_RATE, [MAPLE_OUTLAY, *MAPLE_FLOWS])
    assert net == pytest.approx(MAPLE_NPV, abs=5e-8)


def test_npv_mathworks_pvvar_example():
    got = fin.npv(MATHWORKS_PVVAR_RATE, MATHWORKS_MULTI_FLOWS)
    assert got == pytest.approx(MATHWORKS_PVVAR_RESULT, abs=FOUR_DECIMALS)


def test_npv_numpy_financial_docstring_example():
    got = fin.npv(NPF_NPV_RATE, NPF_NPV_FLOWS)
    assert isinstance(got, float)
    assert got == pytest.approx(NPF_NPV_RESULT, abs=ROUND5)
    # The docstring's second form: future flows discounted from t = 1, outlay added back.
    split = fin.npv(NPF_NPV_RATE, NPF_NPV_FLOWS[1:], convention="excel") + NPF_NPV_FLOWS[0]
    assert split == pytest.approx(NPF_NPV_RESULT, abs=ROUND5)


def test_npv_numpy_financial_several_rates_and_series():
    got = np.asarray(fin.npv(NPF_NPV_RATES, NPF_NPV_SERIES))
    assert got.shape == (len(NPF_NPV_RATES), len(NPF_NPV_SERIES))
    np.testing.assert_allclose(got, NPF_NPV_TABLE, rtol=0, atol=CENT)


def test_npv_numpy_financial_one_rate_over_series_shapes():
    rate_row = 1  # rate 0.05 in the docstring's table
    rate = NPF_NPV_RATES[rate_row]
    got = np.asarray(fin.npv(rate, NPF_NPV_SERIES))
    assert got.shape == (len(NPF_NPV_SERIES),)
    np.testing.assert_allclose(got, NPF_NPV_TABLE[rate_row], rtol=0, atol=CENT)
    got_k = np.asarray(fin.npv(NPF_NPV_RATES, NPF_NPV_SERIES[0]))
    assert got_k.shape == (len(NPF_NPV_RATES),)
    np.testing.assert_allclose(got_k, [row[0] for row in NPF_NPV_TABLE], rtol=0, atol=CENT)


def test_npv_numpy_financial_example_with_pandas():
    rate_row = 1
    frame = pd.DataFrame(NPF_NPV_SERIES, index=["project_a", "project_b"])
    got = fin.npv(NPF_NPV_RATES[rate_row], frame)
    assert isinstance(got, pd.Series)
    assert list(got.index) == ["project_a", "project_b"]
    np.testing.assert_allclose(got.to_numpy(), NPF_NPV_TABLE[rate_row], rtol=0, atol=CENT)
    one = fin.npv(NPF_NPV_RATES[rate_row], pd.Series(NPF_NPV_SERIES[1]))
    assert isinstance(one, float)
    assert one == pytest.approx(NPF_NPV_TABLE[rate_row][1], abs=CENT)


# =============================================================================================
# IRR
# =============================================================================================


@pytest.mark.parametrize(("values", "expected"), NPF_IRR_UNIQUE_CASES)
def test_irr_numpy_financial_docstring_unique_root(values, expected):
    got = fin.irr(values)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, abs=ROUND5)


@pytest.mark.parametrize(("values", "published_root"), NPF_IRR_MULTIPLE_CASES)
def test_irr_numpy_financial_docstring_multiple_roots(values, published_root):
    # numpy-financial returns one of several roots; econ's irr reports the ambiguity.
    roots = fin.irr_roots(values)
    assert roots.size >= 2
    assert np.any(np.abs(roots - published_root) <= ROUND5)
    assert math.isnan(fin.irr(values))
    with pytest.raises(fin.UndefinedResultError):
        fin.irr(values, strict=True)


@pytest.mark.parametrize(("n_flows", "expected"), EXCEL_IRR_CASES)
def test_irr_excel_example(n_flows, expected):
    got = fin.irr(EXCEL_IRR_FLOWS[:n_flows])
    assert got == pytest.approx(expected, abs=TENTH_OF_A_PERCENT)


def test_irr_two_dimensional_rows():
    # Two published series of equal length, one per row: Excel's four-year IRR example and
    # numpy-financial's first irr example; a third row with several roots gives NaN.
    rows = [
        EXCEL_IRR_FLOWS[:5],
        NPF_IRR_UNIQUE_CASES[0][0],
        NPF_IRR_MULTIPLE_CASES[1][0],
    ]
    got = np.asarray(fin.irr(rows))
    assert got.shape == (3,)
    assert got[0] == pytest.approx(EXCEL_IRR_CASES[0][1], abs=TENTH_OF_A_PERCENT)
    assert got[1] == pytest.approx(NPF_IRR_UNIQUE_CASES[0][1], abs=ROUND5)
    assert math.isnan(got[2])


def test_irr_mathworks_example():
    got = fin.irr(MATHWORKS_IRR_FLOWS)
    assert got == pytest.approx(MATHWORKS_IRR_RESULT, abs=FOUR_DECIMALS)


def test_irr_pvwave_example_negative_second_flow():
    got = fin.irr(PVWAVE_FLOWS)
    assert got == pytest.approx(PVWAVE_RESULT, abs=PVWAVE_TOL)


def test_irr_roots_mathworks_three_rates():
    roots = fin.irr_roots(MATHWORKS_MULTI_FLOWS)
    assert isinstance(roots, np.ndarray)
    np.testing.assert_allclose(roots, MATHWORKS_MULTI_ROOTS, rtol=0, atol=FOUR_DECIMALS)
    assert math.isnan(fin.irr(MATHWORKS_MULTI_FLOWS))
    with pytest.raises(fin.UndefinedResultError):
        fin.irr(MATHWORKS_MULTI_FLOWS, strict=True)


def test_irr_pump_problem_two_rates():
    assert issubclass(fin.UndefinedResultError, ValueError)
    assert math.isnan(fin.irr(PUMP_FLOWS))
    with pytest.raises(fin.UndefinedResultError):
        fin.irr(PUMP_FLOWS, strict=True)
    roots = fin.irr_roots(PUMP_FLOWS)
    np.testing.assert_allclose(roots, PUMP_ROOTS, rtol=1e-9, atol=1e-12)


# =============================================================================================
# MIRR
# =============================================================================================


@pytest.mark.parametrize(("n_flows", "finance", "reinvest", "expected"), EXCEL_MIRR_CASES)
def test_mirr_excel_example(n_flows, finance, reinvest, expected):
    got = fin.mirr(EXCEL_MIRR_FLOWS[:n_flows], finance, reinvest)
    assert got == pytest.approx(expected, abs=WHOLE_PERCENT)


def test_mirr_numpy_financial_docstring_example():
    got = fin.mirr(NPF_MIRR_VALUES, NPF_MIRR_FINANCE, NPF_MIRR_REINVEST)
    assert got == pytest.approx(NPF_MIRR_RESULT, rel=1e-12)


def test_mirr_numpy_financial_docstring_same_sign_flows():
    got = fin.mirr(NPF_MIRR_ALL_NEGATIVE, NPF_MIRR_FINANCE, NPF_MIRR_REINVEST)
    assert math.isnan(got)
    with pytest.raises(fin.UndefinedResultError):
        fin.mirr(NPF_MIRR_ALL_POSITIVE, NPF_MIRR_FINANCE, NPF_MIRR_REINVEST, strict=True)


# =============================================================================================
# XNPV and XIRR
# =============================================================================================

DATE_FORMS = {
    "datetime.date": lambda dates: list(dates),
    "iso-string": lambda dates: [d.isoformat() for d in dates],
    "numpy.datetime64": lambda dates: np.array(dates, dtype="datetime64[D]"),
    "pandas.Timestamp": lambda dates: [pd.Timestamp(d) for d in dates],
}


@pytest.mark.parametrize("form", sorted(DATE_FORMS))
def test_xnpv_excel_example(form):
    dates = DATE_FORMS[form](EXCEL_X_DATES)
    got = fin.xnpv(EXCEL_XNPV_RATE, EXCEL_X_VALUES, dates)
    assert got == pytest.approx(EXCEL_XNPV_RESULT, abs=EXCEL_XNPV_TOL)


@pytest.mark.parametrize("form", sorted(DATE_FORMS))
def test_xirr_excel_example(form):
    dates = DATE_FORMS[form](EXCEL_X_DATES)
    got = fin.xirr(EXCEL_X_VALUES, dates)
    assert got == pytest.approx(EXCEL_XIRR_RESULT, abs=EXCEL_XIRR_TOL)


# =============================================================================================
# MACRS (IRS Publication 946, Appendix A)
# =============================================================================================


@pytest.mark.parametrize("recovery_years", sorted(IRS_TABLE_A1))
def test_macrs_half_year_matches_table_a1(recovery_years):
    published = np.array(IRS_TABLE_A1[recovery_years]) / 100.0
    got = np.asarray(fin.macrs_rates(recovery_years))
    assert got.shape == published.shape  # recovery_years + 1 entries
    np.testing.assert_allclose(got, published, rtol=0, atol=IRS_TABLE_A1_TOL[recovery_years])
    # Each published column sums to 100 %.
    assert got.sum() == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("month", range(1, 13))
def test_macrs_39_year_mid_month_matches_table_a7a(month):
    got = np.asarray(fin.macrs_rates(39, convention="mid-month", month_placed_in_service=month))
    assert got.shape == (40,)
    assert got[0] == pytest.approx(IRS_TABLE_A7A_YEAR1[month - 1] / 100, abs=IRS_TABLE_A7A_TOL)
    np.testing.assert_allclose(got[1:39], IRS_TABLE_A7A_MIDDLE / 100, rtol=0, atol=IRS_TABLE_A7A_TOL)
    assert got[39] == pytest.approx(IRS_TABLE_A7A_YEAR40[month - 1] / 100, abs=IRS_TABLE_A7A_TOL)
    # Each published column sums to 100.000 %.
    assert got.sum() == pytest.approx(1.0, abs=1e-9)


# =============================================================================================
# Annuity and capital recovery factors
# =============================================================================================


@pytest.mark.parametrize(("rate", "nper", "a_over_p", "p_over_a"), INTEREST_TABLE_CASES)
def test_capital_recovery_factor_interest_table(rate, nper, a_over_p, p_over_a):
    assert fin.capital_recovery_factor(rate, nper) == pytest.approx(a_over_p, abs=AP_TOL)


@pytest.mark.parametrize(("rate", "nper", "a_over_p", "p_over_a"), INTEREST_TABLE_CASES)
def test_annuity_factor_interest_table(rate, nper, a_over_p, p_over_a):
    assert fin.annuity_factor(rate, nper) == pytest.approx(p_over_a, abs=PA_TOL)


def test_factors_infinite_horizon_limits():
    rate, nper = INFINITE_N_RATE, INFINITE_N_PROXY
    assert fin.capital_recovery_factor(rate, nper) == pytest.approx(rate, rel=1e-12)
    assert fin.annuity_factor(rate, nper) == pytest.approx(1 / rate, rel=1e-12)


# =============================================================================================
# Rate conversions
# =============================================================================================


def test_effective_from_nominal_excel_effect_example():
    got = fin.effective_from_nominal(EFFECT_NOMINAL, EFFECT_NPERY)
    assert got == pytest.approx(EFFECT_EXCEL, abs=5e-8)
    assert got == pytest.approx(EFFECT_DAX, rel=1e-13)


def test_nominal_from_effective_excel_nominal_example():
    got = fin.nominal_from_effective(NOMINAL_EFFECTIVE, NOMINAL_NPERY)
    assert got == pytest.approx(NOMINAL_EXCEL, abs=5e-9)
    assert got == pytest.approx(NOMINAL_DAX, rel=1e-13)


def test_effective_from_nominal_twelve_percent_apr_monthly():
    got = fin.effective_from_nominal(APR_12_MONTHLY, 12)
    assert got == pytest.approx(EAR_12_MONTHLY, abs=1e-13)


def test_annual_and_periodic_rate_one_percent_a_month():
    assert fin.annual_rate(MONTHLY_1_PERCENT, 12) == pytest.approx(EAR_12_MONTHLY, abs=1e-13)
    assert fin.periodic_rate(EAR_12_MONTHLY, 12) == pytest.approx(MONTHLY_1_PERCENT, abs=1e-13)


def test_effective_from_nominal_six_percent_monthly_exam_answer():
    got = fin.effective_from_nominal(APR_6_MONTHLY, 12)
    assert got == pytest.approx(EAR_6_MONTHLY, abs=5e-5)


def test_real_rate_fisher_example():
    nominal, inflation, real = FISHER_REAL_CASE
    assert fin.real_rate(nominal, inflation) == pytest.approx(real, abs=5e-5)


def test_nominal_rate_fisher_example():
    real, inflation, nominal = FISHER_NOMINAL_CASE
    assert fin.nominal_rate(real, inflation) == pytest.approx(nominal, abs=1e-12)


# =============================================================================================
# Payback
# =============================================================================================


def test_payback_period_fractional():
    got = fin.payback_period(PAYBACK_FRACTIONAL_FLOWS)
    assert got == pytest.approx(PAYBACK_FRACTIONAL_RESULT, abs=TWO_DECIMALS)


def test_payback_period_whole_years():
    assert fin.payback_period(PAYBACK_WIKI_FLOWS) == pytest.approx(PAYBACK_WIKI_RESULT, abs=1e-12)


def test_payback_period_cumulative_reaches_exactly_zero():
    got = fin.payback_period(PAYBACK_EXACT_FLOWS)
    assert got == pytest.approx(PAYBACK_EXACT_RESULT, abs=1e-12)


def test_discounted_payback_period_easycalculation_example():
    got = fin.discounted_payback_period(DPP_RATE, DPP_FLOWS)
    assert got == pytest.approx(DPP_RESULT, abs=TWO_DECIMALS)
