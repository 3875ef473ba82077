"""The catalogue of services and indicators every release ships as `indicators.parquet`.

SIPAS criteria follow the five basic factors named in seed 001 and METHOD_FACTS.md. The criteria
of the six essential services are this project's illustrative choice (the seeds name the services,
not their questionnaires); they are used by the DEMO release only and say so in their description.
"""
from __future__ import annotations

import pandas as pd

from dashboard.release.contract import INDEX, SERVICES

SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "admin": ("Dịch vụ hành chính công", "Administrative services"),
    "policy": ("Xây dựng, tổ chức thực hiện chính sách", "Making and carrying out policies"),
    "education": ("Giáo dục phổ thông", "General education"),
    "health": ("Khám, chữa bệnh", "Health care"),
    "security": ("Trật tự, an toàn xã hội", "Order and safety"),
    "roads": ("Giao thông đường bộ", "Roads"),
    "water": ("Nước sinh hoạt", "Domestic water"),
    "electricity": ("Điện sinh hoạt", "Domestic electricity"),
}

# Short names where space is tight (headline figures, narrow columns).
SERVICE_SHORT_NAMES: dict[str, tuple[str, str]] = {
    "admin": ("Hành chính công", "Admin. services"),
    "policy": ("Chính sách", "Policies"),
    "education": ("Giáo dục", "Education"),
    "health": ("Y tế", "Health care"),
    "security": ("An ninh, trật tự", "Order, safety"),
    "roads": ("Đường bộ", "Roads"),
    "water": ("Nước sinh hoạt", "Water"),
    "electricity": ("Điện", "Electricity"),
}

_DEMO_NOTE_VI = " Tiêu chí minh họa của dự án (DEMO), không phải phiếu khảo sát chính thức."
_DEMO_NOTE_EN = " Illustrative criterion chosen by this project (DEMO), not an official questionnaire item."

# service -> [(indicator, name_vi, name_en, description_vi, description_en)]
CRITERIA: dict[str, list[tuple[str, str, str, str, str]]] = {
    "admin": [
        ("access", "Tiếp cận dịch vụ", "Access to services",
         "Mức độ hài lòng về việc tiếp cận dịch vụ hành chính công.", "Satisfaction with access to administrative services."),
        ("procedures", "Thủ tục hành chính", "Administrative procedures",
         "Mức độ hài lòng về thủ tục hành chính.", "Satisfaction with administrative procedures."),
        ("civil_servants", "Công chức giải quyết công việc", "Civil servants",
         "Mức độ hài lòng về công chức trực tiếp giải quyết công việc.",
         "Satisfaction with the civil servants who handle the case."),
        ("results", "Kết quả dịch vụ", "Service results",
         "Mức độ hài lòng về kết quả cung ứng dịch vụ.", "Satisfaction with the results of the service."),
        ("feedback", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", "Handling of feedback",
         "Mức độ hài lòng về việc tiếp nhận, xử lý góp ý, phản ánh, kiến nghị.",
         "Satisfaction with how feedback and complaints are received and handled."),
    ],
    "policy": [],
    "education": [
        ("access", "Tiếp cận trường lớp", "Access to schools",
         "Khoảng cách, tuyển sinh, chi phí.", "Distance, enrolment, costs."),
        ("facilities", "Cơ sở vật chất", "School facilities",
         "Phòng học, thiết bị, vệ sinh.", "Classrooms, equipment, sanitation."),
        ("teachers", "Giáo viên", "Teachers", "Năng lực và thái độ của giáo viên.", "Teachers' skills and attitude."),
        ("results", "Kết quả giáo dục", "Learning results", "Kiến thức, kỹ năng học sinh đạt được.", "What pupils learn."),
    ],
    "health": [
        ("access", "Tiếp cận dịch vụ y tế", "Access to care",
         "Khoảng cách, thời gian chờ, thủ tục.", "Distance, waiting time, formalities."),
        ("facilities", "Cơ sở vật chất", "Facilities", "Cơ sở, trang thiết bị, thuốc.", "Buildings, equipment, medicines."),
        ("staff", "Nhân viên y tế", "Health workers",
         "Thái độ và chuyên môn của nhân viên y tế.", "Attitude and skills of health workers."),
        ("results", "Kết quả khám, chữa bệnh", "Treatment results", "Kết quả điều trị.", "Outcome of treatment."),
    ],
    "security": [
        ("safety", "Cảm nhận an toàn", "Feeling safe", "Cảm giác an toàn nơi cư trú.", "Feeling safe where one lives."),
        ("police", "Lực lượng công an cơ sở", "Local police",
         "Sự hiện diện và thái độ của công an.", "Presence and attitude of the police."),
        ("response", "Tiếp nhận, xử lý tin báo", "Response to reports",
         "Xử lý tin báo, vụ việc.", "Handling of reported incidents."),
    ],
    "roads": [
        ("quality", "Chất lượng mặt đường", "Road surface", "Mặt đường, cầu, cống.", "Road surface, bridges, culverts."),
        ("safety", "An toàn giao thông", "Road safety", "Biển báo, chiếu sáng, an toàn.", "Signs, lighting, safety."),
        ("maintenance", "Duy tu, sửa chữa", "Maintenance", "Sửa chữa kịp thời.", "Timely repairs."),
    ],
    "water": [
        ("access", "Được cấp nước", "Access to piped water", "Được cấp nước sạch.", "Connection to clean water."),
        ("quality", "Chất lượng nước", "Water quality", "Nước trong, không mùi.", "Clear, odourless water."),
        ("reliability", "Ổn định", "Reliability", "Cấp nước liên tục.", "Continuous supply."),
        ("price", "Giá và thu tiền", "Price and billing", "Giá hợp lý, thu tiền minh bạch.", "Fair price, transparent billing."),
    ],
    "electricity": [
        ("access", "Tiếp cận điện", "Access to electricity", "Đấu nối, thủ tục.", "Connection, formalities."),
        ("reliability", "Cấp điện ổn định", "Reliable supply", "Ít mất điện, điện áp ổn định.", "Few outages, stable voltage."),
        ("price", "Giá và thu tiền", "Price and billing", "Giá hợp lý, thu tiền minh bạch.", "Fair price, transparent billing."),
        ("service", "Chăm sóc khách hàng", "Customer service", "Giải quyết yêu cầu, sự cố.", "Handling of requests and faults."),
    ],
}


# The groups of SIPAS's policy area (from 2022: satisfaction with how public policies are made and
# carried out, METHOD_FACTS.md): eight in 2022, administrative reform added in 2023. A province's
# figure for one group (e.g. Kon Tum 2023, health-care policy) is published as an item of
# `policy`, never as a figure of the service itself: satisfaction with health-care *policy* is
# not satisfaction with clinics. Only releases of published figures carry them; the survey
# pipeline (`build`, `demo`) measures `policy` as one index.
POLICY_GROUPS: list[tuple[str, str, str, str, str]] = [
    ("economy", "Chính sách phát triển kinh tế", "Economic development policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách phát triển kinh tế (nhóm chính sách của SIPAS).",
     "Satisfaction with how economic development policy is carried out (a SIPAS policy group)."),
    ("health_care", "Chính sách khám, chữa bệnh", "Health-care policy",
     "Mức độ hài lòng về chất lượng tổ chức, thực hiện chính sách khám, chữa bệnh (nhóm chính sách của SIPAS); "
     "không phải sự hài lòng với cơ sở y tế.",
     "Satisfaction with how health-care policy is carried out (a SIPAS policy group); not satisfaction with "
     "health facilities."),
    ("education", "Chính sách giáo dục phổ thông", "General education policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách giáo dục phổ thông (nhóm chính sách của SIPAS).",
     "Satisfaction with how general education policy is carried out (a SIPAS policy group)."),
    ("security", "Chính sách an ninh, trật tự", "Order and safety policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách an ninh, trật tự (nhóm chính sách của SIPAS).",
     "Satisfaction with how order and safety policy is carried out (a SIPAS policy group)."),
    ("roads", "Chính sách giao thông đường bộ", "Roads policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách giao thông đường bộ (nhóm chính sách của SIPAS).",
     "Satisfaction with how roads policy is carried out (a SIPAS policy group)."),
    ("electricity", "Chính sách điện sinh hoạt", "Domestic electricity policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách điện sinh hoạt (nhóm chính sách của SIPAS).",
     "Satisfaction with how domestic electricity policy is carried out (a SIPAS policy group)."),
    ("water", "Chính sách nước sinh hoạt", "Domestic water policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách nước sinh hoạt (nhóm chính sách của SIPAS).",
     "Satisfaction with how domestic water policy is carried out (a SIPAS policy group)."),
    ("social_welfare", "Chính sách an sinh xã hội", "Social welfare policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách an sinh xã hội (nhóm chính sách của SIPAS).",
     "Satisfaction with how social welfare policy is carried out (a SIPAS policy group)."),
    ("admin_reform", "Chính sách cải cách hành chính", "Administrative reform policy",
     "Mức độ hài lòng về việc tổ chức thực hiện chính sách cải cách hành chính (nhóm chính sách của SIPAS từ 2023).",
     "Satisfaction with how administrative reform policy is carried out (a SIPAS policy group from 2023)."),
]
# Items that releases of published figures may carry beyond CRITERIA, per service.
PUBLISHED_ITEMS: dict[str, list[tuple[str, str, str, str, str]]] = {"policy": POLICY_GROUPS}


def criteria_of(service: str) -> list[str]:
    """The criterion ids of a service, in catalogue order."""
    return [c[0] for c in CRITERIA[service]]


def indicator_table() -> pd.DataFrame:
    """The full catalogue as the contract's `indicators.parquet` frame."""
    rows = []
    for service, (svc_vi, svc_en) in SERVICE_NAMES.items():
        index_desc_vi = ("Tỷ lệ người trả lời hài lòng (mức 4 hoặc 5 trên thang 1–5), trung bình các tiêu chí."
                         if CRITERIA[service] else "Tỷ lệ người trả lời hài lòng (mức 4 hoặc 5 trên thang 1–5).")
        index_desc_en = ("Share of respondents satisfied (4 or 5 on the 1–5 scale), mean of the criteria."
                         if CRITERIA[service] else "Share of respondents satisfied (4 or 5 on the 1–5 scale).")
        rows.append((service, INDEX, f"Chỉ số hài lòng: {svc_vi}", f"Satisfaction index: {svc_en}",
                     index_desc_vi, index_desc_en, "percent", True, 0))
        demo = service not in ("admin", "policy")
        for order, (ind, n_vi, n_en, d_vi, d_en) in enumerate(CRITERIA[service], start=1):
            rows.append((service, ind, n_vi, n_en, d_vi + (_DEMO_NOTE_VI if demo else ""),
                         d_en + (_DEMO_NOTE_EN if demo else ""), "percent", True, order))
    return pd.DataFrame(rows, columns=["service", "indicator", "name_vi", "name_en", "description_vi",
                                       "description_en", "unit", "higher_is_better", "sort_order"])


def published_indicator_table() -> pd.DataFrame:
    """The catalogue of a release of published figures: `indicator_table()` plus the items
    (PUBLISHED_ITEMS) that sources publish but the survey pipeline does not measure."""
    base = indicator_table()
    rows = [(service, ind, n_vi, n_en, d_vi, d_en, "percent", True, 100 + order)
            for service, items in PUBLISHED_ITEMS.items() for order, (ind, n_vi, n_en, d_vi, d_en) in enumerate(items, 1)]
    return pd.concat([base, pd.DataFrame(rows, columns=base.columns)], ignore_index=True)


_SERVICE_RANK = {s: i for i, s in enumerate(SERVICES)}


def catalogue_order(column: pd.Series) -> pd.Series:
    """A key for `sort_values(key=...)`: services in catalogue order, the overall index before a
    service's criteria (then criteria by code); any other column as it is."""
    if column.name == "service":
        return column.map(_SERVICE_RANK)
    if column.name == "indicator":
        return column.where(column != INDEX, "")  # "" sorts before every criterion's code
    return column
