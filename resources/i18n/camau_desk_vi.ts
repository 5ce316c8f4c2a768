<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add mailbox</source>
        <translation>Thêm hộp thư</translation>
    </message>
    <message>
        <source>e.g. Agency mailbox</source>
        <translation>ví dụ: Hộp thư cơ quan</translation>
    </message>
    <message>
        <source>Agency mailbox</source>
        <translation>Hộp thư cơ quan</translation>
    </message>
    <message>
        <source>Unit mailbox</source>
        <translation>Hộp thư đơn vị</translation>
    </message>
    <message>
        <source>Personal mailbox</source>
        <translation>Hộp thư cá nhân</translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation>SSL/TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>None (test servers only)</source>
        <translation>Không mã hóa (chỉ máy chủ thử nghiệm)</translation>
    </message>
    <message>
        <source>same as the e-mail address</source>
        <translation>giống địa chỉ thư</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Mailbox name:</source>
        <translation>Tên hộp thư:</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Loại hộp thư:</translation>
    </message>
    <message>
        <source>E-mail address:</source>
        <translation>Địa chỉ thư:</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Tên hiển thị:</translation>
    </message>
    <message>
        <source>IMAP server:</source>
        <translation>Máy chủ IMAP:</translation>
    </message>
    <message>
        <source>IMAP port:</source>
        <translation>Cổng IMAP:</translation>
    </message>
    <message>
        <source>SMTP server:</source>
        <translation>Máy chủ SMTP:</translation>
    </message>
    <message>
        <source>SMTP port:</source>
        <translation>Cổng SMTP:</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>Bảo mật:</translation>
    </message>
    <message>
        <source>Login name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Agency CA certificate:</source>
        <translation>Chứng chỉ CA của cơ quan:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Kết quả kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Test and save</source>
        <translation>Kiểm tra và lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Agency CA certificate</source>
        <translation>Chứng chỉ CA của cơ quan</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>Chứng chỉ (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>Enter the mailbox password.</source>
        <translation>Hãy nhập mật khẩu hộp thư.</translation>
    </message>
    <message>
        <source>Checking IMAP and SMTP login...</source>
        <translation>Đang kiểm tra đăng nhập IMAP và SMTP…</translation>
    </message>
    <message>
        <source>Login succeeded. Saving...</source>
        <translation>Đăng nhập thành công. Đang lưu…</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel incoming no. %1/%2</source>
        <translation>Hủy số đến %1/%2</translation>
    </message>
    <message>
        <source>The number stays in the register, marked cancelled. Reason:</source>
        <translation>Số đến vẫn nằm trong sổ, được đánh dấu “Đã hủy”. Lý do hủy:</translation>
    </message>
    <message>
        <source>Reason for cancelling</source>
        <translation>Lý do hủy</translation>
    </message>
    <message>
        <source>Cancel this number</source>
        <translation>Hủy số đến này</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Giữ lại</translation>
    </message>
</context>
<context>
    <name>ComposeDialog</name>
    <message>
        <source>Reply</source>
        <translation>Trả lời</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Chuyển tiếp</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Thư mới</translation>
    </message>
    <message>
        <source>Addresses separated by commas; type a name to find it in the directory</source>
        <translation>Các địa chỉ cách nhau bằng dấu phẩy; gõ tên để tìm trong danh bạ</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Nội dung thư</translation>
    </message>
    <message>
        <source>Attached files</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Attach files...</source>
        <translation>Đính kèm tệp...</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ ra</translation>
    </message>
    <message>
        <source>Remove the selected attachment</source>
        <translation>Bỏ tệp đính kèm đang chọn</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Gửi tới:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Tiêu đề:</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Đính kèm:</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Đính kèm tệp</translation>
    </message>
    <message>
        <source>Enter at least one recipient address.</source>
        <translation>Hãy nhập ít nhất một địa chỉ người nhận.</translation>
    </message>
    <message>
        <source>Enter a subject.</source>
        <translation>Hãy nhập tiêu đề.</translation>
    </message>
    <message>
        <source>Many recipients</source>
        <translation>Nhiều người nhận</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <source>Correct incoming no. %1/%2</source>
        <translation>Sửa số đến %1/%2</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Save correction</source>
        <translation>Lưu sửa đổi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Saving...</source>
        <translation>Đang lưu...</translation>
    </message>
</context>
<context>
    <name>DelegatedView</name>
    <message>
        <source>Documents received under delegation</source>
        <translation>Văn bản nhận theo ủy quyền</translation>
    </message>
    <message>
        <source>Loading...</source>
        <translation>Đang tải...</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Incoming no.</source>
        <translation>Số đến</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n văn bản</numerusform>
        </translation>
    </message>
    <message>
        <source>No document has been received under a delegation.</source>
        <translation>Chưa có văn bản nào nhận theo ủy quyền.</translation>
    </message>
</context>
<context>
    <name>DelegationDialog</name>
    <message>
        <source>Delegation</source>
        <translation>Ủy quyền</translation>
    </message>
    <message>
        <source>Deputy</source>
        <translation>Cấp phó</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Người ghi</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Delegations</source>
        <translation>Danh sách ủy quyền</translation>
    </message>
    <message>
        <source>End this delegation</source>
        <translation>Kết thúc ủy quyền này</translation>
    </message>
    <message>
        <source>From today documents go to the head again</source>
        <translation>Từ hôm nay văn bản lại trình thủ trưởng</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>For example: the director is on a business trip</source>
        <translation>Ví dụ: Giám đốc đi công tác</translation>
    </message>
    <message>
        <source>Record delegation</source>
        <translation>Ghi ủy quyền</translation>
    </message>
    <message>
        <source>Deputy:</source>
        <translation>Cấp phó:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>New delegation</source>
        <translation>Ủy quyền mới</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>Đang hiệu lực</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <translation>Sắp tới</translation>
    </message>
    <message>
        <source>No deputy in the organisation directory: import the directory first</source>
        <translation>Danh bạ tổ chức chưa có cấp phó: hãy nhập danh bạ trước</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>Normal</source>
        <translation>Thường</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Khẩn</translation>
    </message>
    <message>
        <source>Very urgent</source>
        <translation>Thượng khẩn</translation>
    </message>
    <message>
        <source>Immediate</source>
        <translation>Hỏa tốc</translation>
    </message>
    <message>
        <source>Not secret</source>
        <translation>Không mật</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Mật</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Tối mật</translation>
    </message>
    <message>
        <source>Top secret</source>
        <translation>Tuyệt mật</translation>
    </message>
    <message>
        <source>Incoming register (ND 30, Appendix IV)</source>
        <translation>Sổ đăng ký văn bản đến (NĐ 30, Phụ lục IV)</translation>
    </message>
    <message>
        <source>Incoming no.</source>
        <translation>Số đến</translation>
    </message>
    <message>
        <source>Date received</source>
        <translation>Ngày đến</translation>
    </message>
    <message>
        <source>Issuing body</source>
        <translation>Tác giả</translation>
    </message>
    <message>
        <source>Number and symbol</source>
        <translation>Số, ký hiệu văn bản</translation>
    </message>
    <message>
        <source>Document date</source>
        <translation>Ngày tháng văn bản</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại văn bản</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu</translation>
    </message>
    <message>
        <source>Unit or person receiving</source>
        <translation>Đơn vị hoặc người nhận</translation>
    </message>
    <message>
        <source>Date passed on</source>
        <translation>Ngày chuyển</translation>
    </message>
    <message>
        <source>Signed for by</source>
        <translation>Ký nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Document details (Appendix VI)</source>
        <translation>Thông tin văn bản (Phụ lục VI)</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Độ khẩn</translation>
    </message>
    <message>
        <source>Secrecy</source>
        <translation>Độ mật</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <source>given when you confirm</source>
        <translation>cấp khi bấm Vào sổ</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Error message</source>
        <translation>Thông báo lỗi</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Show error details</source>
        <translation>Xem chi tiết lỗi</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Close error message</source>
        <translation>Đóng thông báo lỗi</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Chi tiết lỗi</translation>
    </message>
    <message>
        <source>An unexpected error occurred. Press Details and send it to IT support.</source>
        <translation>Đã xảy ra lỗi không mong đợi. Bấm “Chi tiết” và gửi nội dung cho bộ phận kỹ thuật.</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Mailbox handover</source>
        <translation>Bàn giao hộp thư</translation>
    </message>
    <message>
        <source>Mailbox to hand over</source>
        <translation>Hộp thư cần bàn giao</translation>
    </message>
    <message>
        <source>Destination folder</source>
        <translation>Thư mục đích</translation>
    </message>
    <message>
        <source>Choose...</source>
        <translation>Chọn...</translation>
    </message>
    <message>
        <source>Export package</source>
        <translation>Xuất gói bàn giao</translation>
    </message>
    <message>
        <source>Mailbox:</source>
        <translation>Hộp thư:</translation>
    </message>
    <message>
        <source>New empty folder:</source>
        <translation>Thư mục mới (trống):</translation>
    </message>
    <message>
        <source>Hand over (export)</source>
        <translation>Bàn giao (xuất gói)</translation>
    </message>
    <message>
        <source>Package folder</source>
        <translation>Thư mục gói bàn giao</translation>
    </message>
    <message>
        <source>Mailbox name</source>
        <translation>Tên hộp thư</translation>
    </message>
    <message>
        <source>New password of the mailbox</source>
        <translation>Mật khẩu mới của hộp thư</translation>
    </message>
    <message>
        <source>Import package</source>
        <translation>Nhập gói bàn giao</translation>
    </message>
    <message>
        <source>Package folder:</source>
        <translation>Thư mục gói:</translation>
    </message>
    <message>
        <source>Mailbox name:</source>
        <translation>Tên hộp thư:</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>Mật khẩu mới:</translation>
    </message>
    <message>
        <source>Take over (import)</source>
        <translation>Tiếp nhận (nhập gói)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Chọn thư mục</translation>
    </message>
    <message>
        <source>Choose the mailbox and a new, empty destination folder.</source>
        <translation>Hãy chọn hộp thư và một thư mục đích mới, còn trống.</translation>
    </message>
    <message>
        <source>Writing the handover package...</source>
        <translation>Đang ghi gói bàn giao...</translation>
    </message>
    <message>
        <source>Choose the package folder, and enter the mailbox name and its new password.</source>
        <translation>Hãy chọn thư mục gói bàn giao, nhập tên hộp thư và mật khẩu mới.</translation>
    </message>
    <message>
        <source>Checking and importing the package...</source>
        <translation>Đang kiểm tra và nhập gói bàn giao...</translation>
    </message>
    <message>
        <source>Package written to %1. Manifest SHA-256 (write it on the handover minutes): %2</source>
        <translation>Đã ghi gói bàn giao vào %1. Mã SHA-256 của bản kê (ghi vào biên bản bàn giao): %2</translation>
    </message>
    <message>
        <source>%1 file(s) of the offline archive were missing and are not in the package.</source>
        <translation>%1 tệp của bản lưu ngoại tuyến bị thiếu, không có trong gói.</translation>
    </message>
    <message>
        <source>Imported %1 message(s) into mailbox %2. Notice to the directory: %3</source>
        <translation>Đã nhập %1 thư vào hộp thư %2. Thông báo tới danh bạ: %3</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Tệp: %1</translation>
    </message>
</context>
<context>
    <name>ImportUi</name>
    <message>
        <source>Import progress</source>
        <translation>Tiến độ nhập thư</translation>
    </message>
    <message>
        <source>Stop import</source>
        <translation>Dừng nhập</translation>
    </message>
    <message>
        <source>Import archived mail</source>
        <translation>Nhập thư lưu trữ</translation>
    </message>
    <message>
        <source>Import message files (.eml, .mbox) or a whole folder (Maildir, folder of .eml)?</source>
        <translation>Nhập các tệp thư (.eml, .mbox) hay cả một thư mục (Maildir, thư mục chứa .eml)?</translation>
    </message>
    <message>
        <source>Files...</source>
        <translation>Chọn tệp...</translation>
    </message>
    <message>
        <source>Folder...</source>
        <translation>Chọn thư mục...</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Choose messages to import</source>
        <translation>Chọn thư cần nhập</translation>
    </message>
    <message>
        <source>Mail files (*.eml *.mbox *.mbx);;All files (*)</source>
        <translation>Tệp thư (*.eml *.mbox *.mbx);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Choose a mail folder to import</source>
        <translation>Chọn thư mục thư cần nhập</translation>
    </message>
    <message>
        <source>Importing archived mail...</source>
        <translation>Đang nhập thư lưu trữ...</translation>
    </message>
    <message>
        <source>offline archive and search index</source>
        <translation>bản lưu ngoại tuyến và chỉ mục tìm kiếm</translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>Đang hủy...</translation>
    </message>
    <message>
        <source>Importing archived mail: %1 of %2</source>
        <translation>Đang nhập thư lưu trữ: %1/%2</translation>
    </message>
    <message>
        <source>%1 new message(s), %2 already there, %3 error(s).</source>
        <translation>%1 thư mới, %2 thư đã có, %3 lỗi.</translation>
    </message>
    <message>
        <source>Import stopped.</source>
        <translation>Đã dừng nhập.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>LeaderUi</name>
    <message>
        <source>The mail server refused no. %1/%2: %3 The document is not marked Presented; fix the cause, then press Resend in the Outbox.</source>
        <translation>Máy chủ thư từ chối số đến %1/%2: %3 Văn bản chưa được đánh dấu Đã trình; hãy sửa nguyên nhân rồi bấm “Gửi lại” trong Hộp thư đi.</translation>
    </message>
    <message>
        <source>No. %1/%2 is waiting to be sent and will be sent automatically when the network is back; the document is not yet marked Presented. %3</source>
        <translation>Số đến %1/%2 đang chờ gửi, sẽ tự gửi lại khi có mạng; văn bản chưa được đánh dấu Đã trình. %3</translation>
    </message>
    <message>
        <source>Delegation in force</source>
        <translation>Đang có ủy quyền</translation>
    </message>
    <message>
        <source>Present incoming document no. %1/%2 to %3?</source>
        <translation>Trình văn bản số đến %1/%2 tới %3?</translation>
    </message>
    <message>
        <source>Under delegation: %1</source>
        <translation>Theo ủy quyền: %1</translation>
    </message>
    <message>
        <source>Send to leader</source>
        <translation>Trình lãnh đạo</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Trình</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Sending to the leader...</source>
        <translation>Đang trình lãnh đạo...</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting document(s) sent to the leader</source>
        <translation>
            <numerusform>Đã gửi %n văn bản đang chờ tới lãnh đạo</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The mail server refused %n message(s). Open the Outbox to see the reason and resend.</source>
        <translation>
            <numerusform>Máy chủ thư từ chối %n thư. Mở Hộp thư đi để xem lý do và gửi lại.</numerusform>
        </translation>
    </message>
    <message>
        <source>The mail server refused the message: %1</source>
        <translation>Máy chủ thư từ chối thư: %1</translation>
    </message>
    <message>
        <source>Presented no. %1/%2 to %3</source>
        <translation>Đã trình số đến %1/%2 tới %3</translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation>Đã gửi thư</translation>
    </message>
    <message>
        <source>Message waits in the outbox: %1</source>
        <translation>Thư đang chờ gửi trong hộp thư đi: %1</translation>
    </message>
</context>
<context>
    <name>LiveUi</name>
    <message numerus="yes">
        <source>%n message(s) waiting to be sent</source>
        <translation>
            <numerusform>%n thư chờ gửi</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) refused by the mail server</source>
        <translation>
            <numerusform>%n thư bị máy chủ thư từ chối</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Cà Mau Desk</source>
        <translation>Cà Mau Desk</translation>
    </message>
    <message>
        <source>Coming soon</source>
        <translation>Sắp có</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Fetch new mail from the server (F5)</source>
        <translation>Nhận thư mới từ máy chủ (F5)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Vào sổ</translation>
    </message>
    <message>
        <source>Register the selected document in the incoming register</source>
        <translation>Vào sổ văn bản đến cho thư đang chọn</translation>
    </message>
    <message>
        <source>Register a paper document...</source>
        <translation>Vào sổ văn bản giấy...</translation>
    </message>
    <message>
        <source>Send to leader</source>
        <translation>Trình lãnh đạo</translation>
    </message>
    <message>
        <source>Present the selected registered document to the leader</source>
        <translation>Trình lãnh đạo văn bản đã vào sổ đang chọn</translation>
    </message>
    <message>
        <source>New message...</source>
        <translation>Thư mới...</translation>
    </message>
    <message>
        <source>Reply...</source>
        <translation>Trả lời...</translation>
    </message>
    <message>
        <source>Forward...</source>
        <translation>Chuyển tiếp...</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Messages waiting to be sent, and those already sent</source>
        <translation>Thư đang chờ gửi và thư đã gửi</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Search all mail, attachments and the register (Ctrl+F)</source>
        <translation>Tìm trong toàn bộ thư, tệp đính kèm và sổ văn bản (Ctrl+F)</translation>
    </message>
    <message>
        <source>Rebuild search index</source>
        <translation>Xây dựng lại chỉ mục</translation>
    </message>
    <message>
        <source>Index every message, attachment and register entry again</source>
        <translation>Lập chỉ mục lại mọi thư, tệp đính kèm và văn bản trong sổ</translation>
    </message>
    <message>
        <source>Incoming register</source>
        <translation>Sổ văn bản đến</translation>
    </message>
    <message>
        <source>Open the incoming register</source>
        <translation>Mở Sổ văn bản đến</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Language, archive folder, check times, working days...</source>
        <translation>Ngôn ngữ, thư mục lưu trữ, giờ kiểm tra, ngày làm việc...</translation>
    </message>
    <message>
        <source>Add mailbox...</source>
        <translation>Thêm hộp thư…</translation>
    </message>
    <message>
        <source>Declare an agency, unit or personal mailbox</source>
        <translation>Khai báo hộp thư cơ quan, đơn vị hoặc cá nhân</translation>
    </message>
    <message>
        <source>Open demo data</source>
        <translation>Mở dữ liệu mẫu</translation>
    </message>
    <message>
        <source>Import archived mail...</source>
        <translation>Nhập thư lưu trữ...</translation>
    </message>
    <message>
        <source>Import .eml, .mbox or Maildir mail to browse and search offline</source>
        <translation>Nhập thư .eml, .mbox hoặc Maildir để xem và tìm kiếm ngoại tuyến</translation>
    </message>
    <message>
        <source>Mailbox handover...</source>
        <translation>Bàn giao hộp thư...</translation>
    </message>
    <message>
        <source>Hand a mailbox over to a new head, or take one over (package)</source>
        <translation>Bàn giao hộp thư cho thủ trưởng mới, hoặc tiếp nhận hộp thư (gói bàn giao)</translation>
    </message>
    <message>
        <source>Delegation...</source>
        <translation>Ủy quyền...</translation>
    </message>
    <message>
        <source>Who holds the head&apos;s authority, and when</source>
        <translation>Ai được ủy quyền thay thủ trưởng, từ ngày nào đến ngày nào</translation>
    </message>
    <message>
        <source>Received under delegation...</source>
        <translation>Văn bản nhận theo ủy quyền...</translation>
    </message>
    <message>
        <source>Documents forwarded to you as the deputy holding authority</source>
        <translation>Văn bản được trình cho bạn khi bạn là cấp phó được ủy quyền</translation>
    </message>
    <message>
        <source>View source</source>
        <translation>Xem mã nguồn</translation>
    </message>
    <message>
        <source>Save all attachments...</source>
        <translation>Lưu tất cả tệp đính kèm…</translation>
    </message>
    <message>
        <source>Mark as spam</source>
        <translation>Đánh dấu là thư rác</translation>
    </message>
    <message>
        <source>Not spam</source>
        <translation>Không phải thư rác</translation>
    </message>
    <message>
        <source>Go to message list</source>
        <translation>Đến danh sách thư</translation>
    </message>
    <message>
        <source>Go to mailboxes</source>
        <translation>Đến danh sách hộp thư</translation>
    </message>
    <message>
        <source>Go to reading pane</source>
        <translation>Đến khung đọc thư</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>About Cà Mau Desk</source>
        <translation>Giới thiệu Cà Mau Desk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Mail</source>
        <translation>T&amp;hư</translation>
    </message>
    <message>
        <source>&amp;Documents</source>
        <translation>&amp;Văn bản</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Công cụ</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Thanh công cụ chính</translation>
    </message>
    <message>
        <source>Opening data...</source>
        <translation>Đang mở dữ liệu…</translation>
    </message>
    <message>
        <source>Welcome to Cà Mau Desk</source>
        <translation>Chào mừng đến với Cà Mau Desk</translation>
    </message>
    <message>
        <source>There is no mailbox yet. Add the agency mailbox to start receiving documents, or open the demo data to look around without a server.</source>
        <translation>Chưa có hộp thư nào. Hãy thêm hộp thư cơ quan để bắt đầu nhận văn bản, hoặc mở dữ liệu mẫu để xem thử mà không cần máy chủ.</translation>
    </message>
    <message>
        <source>Add mailbox</source>
        <translation>Thêm hộp thư</translation>
    </message>
    <message>
        <source>Mailboxes and folders</source>
        <translation>Hộp thư và thư mục</translation>
    </message>
    <message>
        <source>Message list</source>
        <translation>Danh sách thư</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>Chưa vào sổ</translation>
    </message>
    <message>
        <source>Only messages not yet in the incoming register (spam left out)</source>
        <translation>Chỉ thư chưa vào sổ văn bản đến (không kể thư rác)</translation>
    </message>
    <message>
        <source>Show spam</source>
        <translation>Hiện thư rác</translation>
    </message>
    <message>
        <source>Spam and advertising are hidden by default</source>
        <translation>Thư rác và quảng cáo được ẩn theo mặc định</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>Khoảng ngày</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Mọi ngày</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>Năm nay</translation>
    </message>
    <message>
        <source>From - to...</source>
        <translation>Từ ngày – đến ngày…</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Ngày:</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Đã lưu: %1</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Trạng thái kết nối</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Tiến độ đồng bộ</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Lần kiểm tra cuối</translation>
    </message>
    <message>
        <source>Messages waiting to be sent</source>
        <translation>Thư chờ gửi</translation>
    </message>
    <message>
        <source>Cà Mau Desk – Demo data</source>
        <translation>Cà Mau Desk – Dữ liệu mẫu</translation>
    </message>
    <message>
        <source>Preparing demo data...</source>
        <translation>Đang chuẩn bị dữ liệu mẫu…</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Hộp thư đến</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Thư rác</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Thùng rác</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Thư nháp</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Lưu trữ</translation>
    </message>
    <message>
        <source>%1: %2 messages, %3 unread</source>
        <translation>%1: %2 thư, %3 chưa đọc</translation>
    </message>
    <message>
        <source>Agency mailbox</source>
        <translation>Hộp thư cơ quan</translation>
    </message>
    <message>
        <source>Unit mailbox</source>
        <translation>Hộp thư đơn vị</translation>
    </message>
    <message>
        <source>Personal mailbox</source>
        <translation>Hộp thư cá nhân</translation>
    </message>
    <message>
        <source>Loading...</source>
        <translation>Đang tải…</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n thư</numerusform>
        </translation>
    </message>
    <message>
        <source>offline archive and search index</source>
        <translation>thư mục lưu trữ và chỉ mục tìm kiếm</translation>
    </message>
    <message>
        <source>Syncing %1</source>
        <translation>Đang đồng bộ %1</translation>
    </message>
    <message>
        <source>Sync cancelled</source>
        <translation>Đã hủy đồng bộ</translation>
    </message>
    <message numerus="yes">
        <source>Sync finished: %n new message(s)</source>
        <translation>
            <numerusform>Đồng bộ xong: %n thư mới</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Syncing...</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>Last check: %1</source>
        <translation>Kiểm tra lần cuối: %1</translation>
    </message>
    <message>
        <source>No mailbox with a server to sync</source>
        <translation>Chưa có hộp thư nào có máy chủ để đồng bộ</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>Đã lưu cài đặt</translation>
    </message>
    <message>
        <source>Settings saved. The new language applies the next time Cà Mau Desk starts.</source>
        <translation>Đã lưu cài đặt. Ngôn ngữ mới có hiệu lực từ lần khởi động sau của Cà Mau Desk.</translation>
    </message>
    <message>
        <source>Cà Mau Desk %1: agency mailbox, incoming-document register and offline archive for the clerks of Cà Mau province.</source>
        <translation>Cà Mau Desk %1: hộp thư cơ quan, sổ văn bản đến và lưu trữ ngoại tuyến cho văn thư các cơ quan tỉnh Cà Mau.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Đính kèm</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Độ khẩn</translation>
    </message>
    <message>
        <source>Incoming no.</source>
        <translation>Số đến</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Waiting for a number</source>
        <translation>Chờ cấp số</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Đã vào sổ</translation>
    </message>
    <message>
        <source>Presented</source>
        <translation>Đã trình</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Đã phân công</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hoàn thành</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>waiting for a number</source>
        <translation>chờ cấp số</translation>
    </message>
</context>
<context>
    <name>OfferBanner</name>
    <message>
        <source>New file in the outbox folder</source>
        <translation>Tệp mới trong Hộp gửi đi</translation>
    </message>
    <message>
        <source>Send...</source>
        <translation>Gửi đi</translation>
    </message>
    <message>
        <source>Send the new file</source>
        <translation>Gửi tệp mới</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>New file in the outbox folder: %1. Send it?</source>
        <translation>Có tệp mới trong Hộp gửi đi: %1. Gửi đi?</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Lúc tạo</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Outbox messages</source>
        <translation>Thư trong hộp thư đi</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Gửi ngay</translation>
    </message>
    <message>
        <source>Try again to send every waiting message</source>
        <translation>Thử gửi lại mọi thư đang chờ</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <source>Put the refused message back in the queue and send it (after fixing what the server refused)</source>
        <translation>Đưa thư bị từ chối trở lại hàng chờ và gửi (sau khi đã sửa điều máy chủ từ chối)</translation>
    </message>
    <message>
        <source>Cancel sending</source>
        <translation>Hủy gửi</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
</context>
<context>
    <name>ReadingPane</name>
    <message>
        <source>From:</source>
        <translation>Người gửi:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Người nhận:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Đồng gửi:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Ngày:</translation>
    </message>
    <message>
        <source>Urgency:</source>
        <translation>Độ khẩn:</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Message headers</source>
        <translation>Thông tin thư</translation>
    </message>
    <message>
        <source>View source</source>
        <translation>Xem mã nguồn</translation>
    </message>
    <message>
        <source>View message source</source>
        <translation>Xem mã nguồn của thư</translation>
    </message>
    <message>
        <source>Message body</source>
        <translation>Nội dung thư</translation>
    </message>
    <message>
        <source>Remote images and styles were blocked to protect your privacy.</source>
        <translation>Đã chặn hình ảnh và định dạng từ xa để bảo vệ quyền riêng tư.</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Đính kèm</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Save...</source>
        <translation>Lưu…</translation>
    </message>
    <message>
        <source>Save all...</source>
        <translation>Lưu tất cả…</translation>
    </message>
    <message>
        <source>Open attachment</source>
        <translation>Mở tệp đính kèm</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>Lưu tệp đính kèm</translation>
    </message>
    <message>
        <source>Save all attachments</source>
        <translation>Lưu tất cả tệp đính kèm</translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation>Chưa chọn thư nào</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(không có tiêu đề)</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>Đính kèm (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Save all attachments to</source>
        <translation>Lưu tất cả tệp đính kèm vào</translation>
    </message>
    <message>
        <source>Possibly dangerous file</source>
        <translation>Tệp có thể nguy hiểm</translation>
    </message>
    <message>
        <source>“%1” is a program or script. Opening it can harm this computer. Open it only if you trust the sender. Open anyway?</source>
        <translation>“%1” là chương trình hoặc tập lệnh. Mở tệp này có thể gây hại cho máy tính. Chỉ mở khi bạn tin tưởng người gửi. Vẫn mở?</translation>
    </message>
    <message>
        <source>Open anyway</source>
        <translation>Vẫn mở</translation>
    </message>
    <message>
        <source>Do not open</source>
        <translation>Không mở</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <source>Register a paper document</source>
        <translation>Vào sổ văn bản giấy</translation>
    </message>
    <message>
        <source>Register document</source>
        <translation>Vào sổ văn bản đến</translation>
    </message>
    <message>
        <source>Document to register</source>
        <translation>Văn bản cần vào sổ</translation>
    </message>
    <message>
        <source>The whole message</source>
        <translation>Cả thư</translation>
    </message>
    <message>
        <source>Attachment: %1</source>
        <translation>Tệp đính kèm: %1</translation>
    </message>
    <message>
        <source>Message: %1</source>
        <translation>Thư: %1</translation>
    </message>
    <message>
        <source>Register:</source>
        <translation>Vào sổ:</translation>
    </message>
    <message>
        <source>A document that arrived on paper: it takes the next number of the same register as e-mailed documents.</source>
        <translation>Văn bản giấy: nhận số đến tiếp theo của cùng một sổ với văn bản điện tử.</translation>
    </message>
    <message>
        <source>Digital signatures</source>
        <translation>Chữ ký số</translation>
    </message>
    <message>
        <source>I have checked: this is not a duplicate, register it anyway</source>
        <translation>Tôi đã kiểm tra: không phải văn bản trùng, vẫn vào sổ</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Vào sổ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Digital signatures:</source>
        <translation>Chữ ký số:</translation>
    </message>
    <message>
        <source>Reading the document...</source>
        <translation>Đang đọc văn bản...</translation>
    </message>
    <message>
        <source>This looks like a document already in the register:</source>
        <translation>Văn bản này có vẻ đã có trong sổ:</translation>
    </message>
    <message>
        <source>%1 document: register it and present it to the leader at once.</source>
        <translation>Văn bản %1: vào sổ và trình lãnh đạo ngay.</translation>
    </message>
    <message>
        <source>Registering...</source>
        <translation>Đang vào sổ...</translation>
    </message>
    <message>
        <source>Incoming no. %1/%2</source>
        <translation>Số đến %1/%2</translation>
    </message>
    <message>
        <source>Present it to the leader now.</source>
        <translation>Hãy trình lãnh đạo ngay.</translation>
    </message>
    <message>
        <source>Waiting for a number: the server cannot be reached. The document keeps its place in the queue and gets its number as soon as the connection is back.</source>
        <translation>Chờ cấp số: chưa kết nối được máy chủ. Văn bản giữ nguyên thứ tự trong hàng chờ và được cấp số ngay khi có kết nối.</translation>
    </message>
    <message>
        <source>waiting for a number</source>
        <translation>chờ cấp số</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>An unexpected error occurred while registering. The technical detail (for IT support) is in this message&apos;s tooltip.</source>
        <translation>Có lỗi không mong đợi khi vào sổ. Chi tiết kỹ thuật (gửi bộ phận CNTT) hiện khi rê chuột lên dòng này.</translation>
    </message>
</context>
<context>
    <name>RegisterView</name>
    <message>
        <source>Date received</source>
        <translation>Ngày đến</translation>
    </message>
    <message>
        <source>Incoming no.</source>
        <translation>Số đến</translation>
    </message>
    <message>
        <source>Issuing body</source>
        <translation>Tác giả</translation>
    </message>
    <message>
        <source>Number and symbol</source>
        <translation>Số, ký hiệu văn bản</translation>
    </message>
    <message>
        <source>Document date</source>
        <translation>Ngày tháng văn bản</translation>
    </message>
    <message>
        <source>Kind and summary</source>
        <translation>Tên loại và trích yếu nội dung văn bản</translation>
    </message>
    <message>
        <source>Unit or person receiving</source>
        <translation>Đơn vị hoặc người nhận</translation>
    </message>
    <message>
        <source>Date passed on</source>
        <translation>Ngày chuyển</translation>
    </message>
    <message>
        <source>Signed for by</source>
        <translation>Ký nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Waiting for a number</source>
        <translation>Chờ cấp số</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Đã vào sổ</translation>
    </message>
    <message>
        <source>Presented</source>
        <translation>Đã trình</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Đã giao</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Đã xong</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>Document date as written</source>
        <translation>Ngày văn bản (như ghi trên văn bản)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại văn bản</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Độ khẩn</translation>
    </message>
    <message>
        <source>Secrecy</source>
        <translation>Độ mật</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>chờ cấp số</translation>
    </message>
    <message>
        <source>Registration requested</source>
        <translation>Yêu cầu vào sổ</translation>
    </message>
    <message>
        <source>Number given</source>
        <translation>Cấp số đến</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>Đã sửa</translation>
    </message>
    <message>
        <source>Saving the files failed</source>
        <translation>Lưu tệp thất bại</translation>
    </message>
    <message>
        <source>Marking the message on the server failed</source>
        <translation>Đánh dấu thư trên máy chủ thất bại</translation>
    </message>
    <message>
        <source>Incoming register</source>
        <translation>Sổ văn bản đến</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>Filter by date received</source>
        <translation>Lọc theo ngày đến</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>Năm:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <source>Change history</source>
        <translation>Lịch sử thay đổi</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>Giá trị cũ</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>Giá trị mới</translation>
    </message>
    <message>
        <source>Change history of the selected entry</source>
        <translation>Lịch sử thay đổi của văn bản đang chọn</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Mở tệp</translation>
    </message>
    <message>
        <source>Correct...</source>
        <translation>Sửa...</translation>
    </message>
    <message>
        <source>Cancel number...</source>
        <translation>Hủy số...</translation>
    </message>
    <message>
        <source>Send to leader...</source>
        <translation>Trình lãnh đạo...</translation>
    </message>
    <message>
        <source>Present the selected entry to the leader</source>
        <translation>Trình lãnh đạo văn bản đang chọn</translation>
    </message>
    <message>
        <source>Export XLSX...</source>
        <translation>Xuất XLSX...</translation>
    </message>
    <message>
        <source>Export PDF...</source>
        <translation>Xuất PDF...</translation>
    </message>
    <message>
        <source>Processing slip...</source>
        <translation>Phiếu giải quyết...</translation>
    </message>
    <message>
        <source>Get waiting numbers</source>
        <translation>Cấp số cho văn bản chờ</translation>
    </message>
    <message>
        <source>Send the documents waiting for a number to the server</source>
        <translation>Gửi các văn bản đang chờ cấp số lên máy chủ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Coming soon</source>
        <translation>Sắp có</translation>
    </message>
    <message>
        <source>Print the register of the chosen year (ND 30 Art. 22.3.b)</source>
        <translation>In sổ của năm đang chọn (NĐ 30 Điều 22.3.b)</translation>
    </message>
    <message>
        <source>The processing slip of the selected entry (PDF)</source>
        <translation>Phiếu giải quyết văn bản đến của văn bản đang chọn (PDF)</translation>
    </message>
    <message>
        <source>All years</source>
        <translation>Mọi năm</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Mọi loại</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n văn bản</numerusform>
        </translation>
    </message>
    <message>
        <source>The saved file is missing: %1</source>
        <translation>Không tìm thấy tệp đã lưu: %1</translation>
    </message>
    <message>
        <source>Processing slip %1-%2.pdf</source>
        <translation>Phiếu giải quyết %1-%2.pdf</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Incoming register %1.%2</source>
        <translation>Sổ văn bản đến %1.%2</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Bảng tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>Lưu thành</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting document(s) got their number</source>
        <translation>
            <numerusform>%n văn bản chờ đã được cấp số</numerusform>
        </translation>
    </message>
    <message>
        <source>Registered: incoming no. %1/%2</source>
        <translation>Đã vào sổ: số đến %1/%2</translation>
    </message>
    <message>
        <source>Registered: waiting for a number (no connection to the server)</source>
        <translation>Đã vào sổ: chờ cấp số (chưa kết nối được máy chủ)</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Words: all must match; accents and case are ignored (&quot;quyet dinh&quot; finds &quot;Quyết định&quot;).
&quot;exact phrase&quot;, prefix*, -excluded word, number-and-symbol fragments such as 4295/UBND.
Filters:
  from: sender (name or address)
  so: number and symbol
  loai: kind (Công văn, Quyết định...)
  nam: year (2025, or 2024-2025)
  den: incoming number
  has:attachment  only with attachments
  status: register status, or status:spam</source>
        <translation>Từ khóa: phải có đủ các từ; không phân biệt dấu và chữ hoa (&quot;quyet dinh&quot; tìm được &quot;Quyết định&quot;).
&quot;cụm từ chính xác&quot;, tiền tố*, -từ loại trừ, một phần số ký hiệu như 4295/UBND.
Bộ lọc:
  from: người gửi (tên hoặc địa chỉ)
  so: số ký hiệu
  loai: tên loại (Công văn, Quyết định...)
  nam: năm (2025, hoặc 2024-2025)
  den: số đến
  has:attachment  chỉ văn bản có tệp đính kèm
  status: trạng thái trong sổ, hoặc status:spam</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Thư</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Register entry</source>
        <translation>Văn bản trong sổ</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Search all mail, attachments and the register...</source>
        <translation>Tìm trong toàn bộ thư, tệp đính kèm và sổ văn bản...</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Nội dung tìm kiếm</translation>
    </message>
    <message>
        <source>Search syntax</source>
        <translation>Cú pháp tìm kiếm</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Trạng thái tìm kiếm</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Kết quả tìm kiếm</translation>
    </message>
    <message>
        <source>Show in message list</source>
        <translation>Xem trong danh sách thư</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Mở tệp</translation>
    </message>
    <message>
        <source>Open the file saved in the archive folder with its own program</source>
        <translation>Mở tệp đã lưu trong thư mục lưu trữ bằng chương trình của nó</translation>
    </message>
    <message>
        <source>Searching...</source>
        <translation>Đang tìm...</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n kết quả</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Không tìm thấy kết quả nào</translation>
    </message>
    <message>
        <source>Incoming no. %1</source>
        <translation>Số đến %1</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>Tiến độ lập chỉ mục</translation>
    </message>
    <message>
        <source>Stop indexing</source>
        <translation>Dừng lập chỉ mục</translation>
    </message>
    <message>
        <source>The file is no longer in the archive folder: %1</source>
        <translation>Tệp không còn trong thư mục lưu trữ: %1</translation>
    </message>
    <message>
        <source>Rebuilding the search index...</source>
        <translation>Đang xây dựng lại chỉ mục tìm kiếm...</translation>
    </message>
    <message>
        <source>Updating the search index...</source>
        <translation>Đang cập nhật chỉ mục tìm kiếm...</translation>
    </message>
    <message>
        <source>Stopping indexing...</source>
        <translation>Đang dừng lập chỉ mục...</translation>
    </message>
    <message>
        <source>Indexing stopped</source>
        <translation>Đã dừng lập chỉ mục</translation>
    </message>
    <message>
        <source>Search index up to date</source>
        <translation>Chỉ mục tìm kiếm đã cập nhật</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Applied the next time Cà Mau Desk starts</source>
        <translation>Có hiệu lực từ lần khởi động sau của Cà Mau Desk</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <source>Archive folder:</source>
        <translation>Thư mục lưu trữ:</translation>
    </message>
    <message>
        <source>Folder template for each message:</source>
        <translation>Mẫu thư mục cho mỗi thư:</translation>
    </message>
    <message>
        <source>File name template for registered documents:</source>
        <translation>Mẫu tên tệp văn bản đến đã vào sổ:</translation>
    </message>
    <message>
        <source>HH:MM, separated by commas, e.g. 07:00, 09:00, 13:00, 15:00</source>
        <translation>HH:MM, cách nhau bằng dấu phẩy, ví dụ 07:00, 09:00, 13:00, 15:00</translation>
    </message>
    <message>
        <source>Mailbox check times:</source>
        <translation>Giờ kiểm tra hộp thư:</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>Thứ Hai</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>Thứ Ba</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>Thứ Tư</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>Thứ Năm</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>Thứ Sáu</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>Thứ Bảy</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>Chủ nhật</translation>
    </message>
    <message>
        <source>Working days:</source>
        <translation>Ngày làm việc:</translation>
    </message>
    <message>
        <source>One date per line, dd/mm/yyyy</source>
        <translation>Mỗi dòng một ngày, dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Holidays:</source>
        <translation>Ngày nghỉ lễ:</translation>
    </message>
    <message>
        <source>Send a &apos;document received&apos; notice to the sender</source>
        <translation>Gửi thông báo &apos;đã nhận văn bản&apos; cho nơi gửi</translation>
    </message>
    <message>
        <source>Ask for confirmation above this many recipients:</source>
        <translation>Hỏi xác nhận khi số người nhận vượt quá:</translation>
    </message>
    <message>
        <source>Closing the window keeps Cà Mau Desk in the system tray</source>
        <translation>Đóng cửa sổ thì Cà Mau Desk vẫn chạy dưới khay hệ thống</translation>
    </message>
    <message>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <source>Trusted CA file for signatures (PEM):</source>
        <translation>Tệp CA tin cậy cho chữ ký số (PEM):</translation>
    </message>
    <message>
        <source>Settings error</source>
        <translation>Lỗi cài đặt</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Choose...</source>
        <translation>Chọn...</translation>
    </message>
    <message>
        <source>Archive folder</source>
        <translation>Thư mục lưu trữ</translation>
    </message>
    <message>
        <source>Trusted CA file</source>
        <translation>Tệp CA tin cậy</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Chứng thư (*.pem *.crt *.cer);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>The trusted CA file does not exist: %1</source>
        <translation>Tệp CA tin cậy không tồn tại: %1</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <source>Message source</source>
        <translation>Mã nguồn thư</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Check now</source>
        <translation>Kiểm tra ngay</translation>
    </message>
    <message>
        <source>Open window</source>
        <translation>Mở cửa sổ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Cà Mau Desk is still running</source>
        <translation>Cà Mau Desk vẫn đang chạy</translation>
    </message>
    <message>
        <source>The scheduled mailbox checks go on. Click the icon to open the window again.</source>
        <translation>Chương trình vẫn kiểm tra hộp thư theo lịch. Bấm vào biểu tượng để mở lại cửa sổ.</translation>
    </message>
</context>
</TS>
