"""Long texts of the methodology page, in both languages (markdown; no data inside)."""
from __future__ import annotations

from dashboard.stats.satisfaction import LOW_N, MIN_N

SECTIONS: list[tuple[str, str, str, str]] = [
    # (title_vi, title_en, body_vi, body_en)
    ("Khảo sát được làm như thế nào", "How the survey is done",
     "- **Ai được hỏi:** người dân từ 18 tuổi trở lên, đại diện cho hộ gia đình.\n"
     "- **Chọn mẫu:** mỗi huyện, thành phố, thị xã chọn 02 xã, phường; mỗi xã chọn ít nhất 04 thôn, tổ dân phố.\n"
     "- **Cách hỏi:** phiếu được phát và thu tận nhà (từ 2022 có Bưu điện Việt Nam tham gia); người dân có 1–2 ngày để trả lời, việc trả lời là tự nguyện.\n"
     "- **Dịch vụ:** dịch vụ hành chính công (SIPAS) và 6 nhóm dịch vụ công cơ bản, thiết yếu: giáo dục phổ thông; khám, chữa bệnh; trật tự, an toàn xã hội; giao thông đường bộ; nước sinh hoạt; điện sinh hoạt.\n"
     "- **Quy mô SIPAS:** khoảng 35.000–40.000 người mỗi năm (2019: 35.268; 2023: hơn 39.700; 2024: 36.525 người ở 195 huyện, 385 xã, 1.170 thôn).\n"
     "- Kết quả phải được công bố *kịp thời, chính xác, đầy đủ, dễ tiếp cận, dễ sử dụng đối với mọi đối tượng* và được tính vào điểm Chỉ số cải cách hành chính (SIPAS chiếm 10% điểm PAR Index của tỉnh).",
     "- **Who is asked:** adults aged 18 and over, each representing a household.\n"
     "- **Sample:** each district picks 2 communes; each commune at least 4 villages or residential groups.\n"
     "- **How:** forms are handed out and collected door to door (with Vietnam Post from 2022); people have 1–2 days to answer, and answering is voluntary.\n"
     "- **Services:** public administrative services (SIPAS) and six essential public services: general education; medical examination and treatment; social order and safety; roads; domestic water; domestic electricity.\n"
     "- **SIPAS size:** about 35,000–40,000 people a year (2019: 35,268; 2023: over 39,700; 2024: 36,525 people in 195 districts, 385 communes, 1,170 villages).\n"
     "- Results must be published *timely, accurately, completely, accessibly and usable by everyone*, and count towards the annual Public Administration Reform Index (SIPAS is 10% of a province's PAR Index score)."),
    ("Năm tiêu chí của SIPAS", "The five SIPAS criteria",
     "1. Tiếp cận dịch vụ\n2. Thủ tục hành chính\n3. Công chức trực tiếp giải quyết công việc\n4. Kết quả cung ứng dịch vụ\n"
     "5. Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị\n\n"
     "Từ năm 2022 SIPAS có thêm lĩnh vực *sự hài lòng về xây dựng, tổ chức thực hiện chính sách* (8 nhóm chính sách năm 2022, 9 nhóm từ 2023). "
     "Tiêu chí của 6 nhóm dịch vụ công thiết yếu trong bản DEMO là minh họa của dự án, không phải phiếu khảo sát chính thức.",
     "1. Access to services\n2. Administrative procedures\n3. Civil servants who handle the case\n4. Service results\n"
     "5. Receiving and handling feedback and complaints\n\n"
     "From 2022 SIPAS also measures *satisfaction with making and carrying out policies* (8 policy groups in 2022, 9 from 2023). "
     "The criteria of the six essential services in the DEMO release are the project's illustration, not an official questionnaire."),
    ("Con số được tính như thế nào", "How the figures are computed",
     "- Một người **hài lòng** với một tiêu chí khi trả lời mức 4 hoặc 5 trên thang 1–5; nếu tiêu chí có nhiều câu hỏi, điểm của người đó là tỷ lệ câu trả lời mức 4–5.\n"
     "- Con số của một tiêu chí là **tỷ lệ có trọng số** người hài lòng trong số người đã trả lời (ước lượng tỷ số), tính bằng %.\n"
     "- **Chỉ số của một dịch vụ** là trung bình không trọng số các tiêu chí của nó (mỗi tiêu chí có trọng lượng như nhau).\n"
     "- **Khoảng tin cậy 95%** tính theo thiết kế mẫu (tuyến tính hóa Taylor): tầng là huyện (trước cải cách 2025), đơn vị mẫu bậc một là xã.\n"
     f"- **n** là số người trả lời; dưới {LOW_N} người con số được gắn cờ *mẫu nhỏ*; dưới {MIN_N} người con số không được công bố.\n"
     "- Hai con số chỉ được coi là **khác nhau rõ ràng** khi khoảng tin cậy 95% của chúng không chồng lên nhau (cách nhìn thận trọng).\n"
     "- Số liệu thật đã công bố (SIPAS của Bộ Nội vụ) không kèm khoảng tin cậy và cỡ mẫu; chúng được đưa lại đúng như đã công bố, kèm nguồn.",
     "- A person is **satisfied** with a criterion when they answer 4 or 5 on the 1–5 scale; with several questions for a criterion, their score is the share of answers that are 4–5.\n"
     "- A criterion's figure is the **weighted share** of satisfied respondents among those who answered (a ratio estimator), in percent.\n"
     "- A **service's index** is the unweighted mean of its criteria (each criterion counts the same).\n"
     "- **95% intervals** follow the sampling design (Taylor linearisation): strata are districts (before the 2025 reform), primary units are communes.\n"
     f"- **n** is the number of respondents; below {LOW_N} a figure is flagged *small sample*; below {MIN_N} it is not published.\n"
     "- Two figures are called **clearly different** only when their 95% intervals do not overlap (a cautious reading).\n"
     "- The real published figures (the Ministry's SIPAS) come without intervals or sample sizes; they are reproduced as published, with their sources."),
    ("Thứ hạng, thay đổi và so sánh qua cải cách 2025", "Ranks, changes and comparisons across the 2025 reform",
     "- **Thứ hạng có khoảng bất định.** Với 2 xã mỗi huyện và vài trăm người trả lời, nhiều khác biệt chỉ là ngẫu nhiên. "
     "Chúng tôi lấy mẫu lặp (bootstrap) 200 lần theo xã trong từng huyện, xếp hạng lại mỗi lần, và công bố khoảng xếp hạng 95% "
     "(ví dụ: \"hạng 3–9\"). Các địa phương có khoảng xếp hạng chồng lên khoảng của địa phương đứng đầu nhóm được xếp vào cùng "
     "**nhóm không phân biệt được**.\n"
     "- **Thay đổi so với năm trước** có khoảng tin cậy 95% (mẫu hai năm độc lập: phương sai cộng lại); thay đổi là **có ý nghĩa** "
     "khi khoảng không chứa 0. Không tính thay đổi qua năm đổi phương pháp.\n"
     "- **Số liệu quy đổi sang 34 tỉnh** (trước 2025): con số của các tỉnh cũ hợp thành một tỉnh mới được lấy trung bình có trọng số "
     "theo số người trả lời; chỉ khi mọi tỉnh cũ đều có số liệu. Luôn ghi rõ là *số liệu quy đổi*.",
     "- **Ranks with uncertainty.** With 2 communes per district and a few hundred answers, many differences are noise. "
     "We resample communes within districts 200 times (a bootstrap), rank again each time, and publish the 95% rank interval "
     "(e.g. \"ranks 3rd–9th\"). Units whose rank interval overlaps that of the first unit of a group share a **tie group**: "
     "they cannot be told apart.\n"
     "- **Change since the year before** has a 95% interval (the two years' samples are independent, so variances add); a change is "
     "**significant** when its interval excludes 0. No change is computed across a change of method.\n"
     "- **Figures harmonised to the 34 provinces** (before 2025): the figures of the old provinces that merged into a new one are "
     "averaged, weighted by respondents, only when every old province has a figure. Always labelled *harmonised*."),
    ("Những điểm gãy trong chuỗi số liệu", "Breaks in the series",
     "- **2022: SIPAS đổi phương pháp.** Trước 2022 hỏi người sử dụng dịch vụ tại bộ phận một cửa; từ 2022 hỏi hộ gia đình tại nơi ở, với bộ câu hỏi mới. "
     "Mức giảm từ 87,16% (2021) xuống 80,08% (2022) là do phương pháp, không phải sự hài lòng giảm thật. Biểu đồ không nối hai giai đoạn.\n"
     "- **1/7/2025: sắp xếp đơn vị hành chính.** 63 tỉnh thành 34 tỉnh, bỏ cấp huyện. Số liệu 2025 được vẽ trên bản đồ 34 tỉnh và là một chuỗi riêng.\n"
     "- **Số liệu cấp huyện của Lào Cai 2023** là khảo sát riêng của tỉnh (4 tiêu chí), không so sánh với SIPAS cấp tỉnh.",
     "- **2022: SIPAS changed its method.** Before 2022 it asked users met at one-stop offices; from 2022 it asks households at home, with a new questionnaire. "
     "The fall from 87.16% (2021) to 80.08% (2022) is the method, not a real drop. Charts never join the two periods.\n"
     "- **1 July 2025: reorganisation of local government.** 63 provinces became 34 and districts were abolished. 2025 figures are drawn on the 34-province map as their own series.\n"
     "- **Lào Cai's 2023 district figures** come from the province's own survey (4 criteria); do not compare them with provincial SIPAS."),
]

FLAGS_TEXT: dict[str, tuple[str, str]] = {
    "low_n": (f"Mẫu nhỏ: dưới {LOW_N} người trả lời; khoảng tin cậy rộng, cần thận trọng.",
              f"Small sample: fewer than {LOW_N} respondents; the interval is wide, read with care."),
    "suppressed": (f"Không công bố: dưới {MIN_N} người trả lời, con số không đủ tin cậy.",
                   f"Suppressed: fewer than {MIN_N} respondents, too unreliable to publish."),
    "provisional": ("Tạm tính: có thể được điều chỉnh trong bản phát hành sau.",
                    "Provisional: may be revised in a later release."),
}
