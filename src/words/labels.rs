//! Fixed words: buttons, field names, tooltips and hints with no arguments.
//!
//! Each is one line: its name, the English, the Chinese. Words with arguments (an
//! address, a count) are typed values in `notices.rs` and `errors.rs`.

use crate::core::lang::{Lang, Say};

macro_rules! labels {
    ($( $name:ident => $en:literal, $zh:literal; )*) => {
        /// A fixed text of the window. Each variant's documentation is its English.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Label {
            $( #[doc = $en] $name, )*
        }

        impl Label {
            /// Every label, for the catalogue's tests.
            pub const ALL: &'static [Label] = &[ $( Label::$name, )* ];

            /// The English and the Chinese.
            pub fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $( Label::$name => ($en, $zh), )*
                }
            }
        }
    };
}

impl Label {
    /// In `lang`, without allocating.
    pub fn get(self, lang: Lang) -> &'static str {
        let (en, zh) = self.pair();
        match lang {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }
}

impl Say for Label {
    fn en(&self) -> String {
        self.pair().0.to_owned()
    }
    fn zh(&self) -> String {
        self.pair().1.to_owned()
    }
}

labels! {
    // The form.
    Server => "Server", "服务器";
    ServerTip => "Wait for the other computer to connect to this one.", "等待另一台电脑连接到本机。";
    Client => "Client", "客户端";
    ClientTip => "Connect to a computer where TurnChat (or the Python server) is listening.",
        "连接到一台正在监听的电脑（TurnChat 或 Python 服务器）。";
    Host => "Host", "地址";
    Port => "Port", "端口";
    Welcome => "Welcome", "欢迎语";
    OneAtATime => "One at a time", "逐个接待";
    OneAtATimeTip => "Serve one client at a time, like the reference server: the others wait, in order, until the conversation before them ends.",
        "像参考服务器那样一次只接待一个客户端：其他人按顺序等待，前一个对话结束后再轮到下一个。";
    AtMost => "At most", "最多";
    AtMostTip => "How many conversations may run at once; later clients wait for a free place.",
        "同时最多进行多少个对话；之后连接的客户端排队等待空位。";
    PerComputer => "Per computer", "每台电脑";
    PerComputerTip => "How many conversations one computer may hold at once (its fair share); more are refused before the welcome. 0: no limit, for a class behind one router.",
        "一台电脑同时最多可占用几个对话（公平份额）；超出的连接在欢迎语之前就被拒绝。0 表示不限，适用于全班通过同一个路由器上网的情况。";
    StartServer => "Start Server", "启动服务器";
    StopServer => "Stop Server", "停止服务器";
    StopServerTip => "Stop listening. A conversation in progress is closed.", "停止监听。正在进行的对话会被关闭。";
    Connect => "Connect", "连接";
    ConnectTip => "Connect to the server (gives up after 5 seconds).", "连接到服务器（5 秒内连不上就放弃）。";
    Cancel => "Cancel", "取消";
    CancelTip => "Stop trying to connect (Esc).", "停止连接（Esc）。";
    Copy => "Copy", "复制";
    CopyAddressesTip => "Copy these addresses", "复制这些地址";
    Starting => "starting…", "正在启动…";
    LanguageTip => "The language of the window (remembered)", "界面语言（会记住）";
    ClassList => "Class list…", "学生名单…";
    ClassListTip => "Choose a CSV file of names and addresses (columns name and IP, optionally seat), so the list shows who is at each computer. Remembered.",
        "选择一个包含姓名和地址的 CSV 文件（列：姓名、IP，可选座位），列表就会显示每台电脑前是谁。会记住。";
    ClassListDialogTitle => "Choose the class list", "选择学生名单";
    CsvFilter => "CSV (comma-separated)", "CSV（逗号分隔）";
    OpenClassFolder => "Open this class's folder", "打开本节课的文件夹";
    StudentName => "Student's name", "学生姓名";
    StudentNameHint => "type a name (F2)", "输入姓名（F2）";
    StudentNameTip => "The name for this computer, remembered for its address. A name from the class list comes first.",
        "这台电脑的名字，按地址记住。名单里的名字优先。";
    OpenClassFolderTip => "This server run's transcripts, and class.csv with one row per conversation.",
        "本次服务器运行的聊天记录，以及每个对话一行的 class.csv。";
    CsvName => "name", "姓名";
    CsvSeat => "seat", "座位";
    CsvAddress => "address", "地址";
    CsvFile => "file", "文件";
    CsvFromThem => "messages from them", "对方消息数";
    CsvFromMe => "messages from me", "我方消息数";
    CsvFirst => "first", "开始时间";
    CsvLast => "last", "最后时间";
    CsvEnded => "how it ended", "结束方式";
    CsvInProgress => "in progress", "进行中";

    // The composer.
    Message => "Message", "消息";
    MessageHint => "Type a message. Enter sends, Shift+Enter starts a new line.", "输入消息。按 Enter 发送，Shift+Enter 换行。";
    Send => "Send", "发送";
    SendTip => "Send (Enter)", "发送（Enter）";
    TypeFirst => "Type a message first.", "请先输入消息。";
    Bye => "bye", "bye";
    ByeTip => "Say bye and close the connection.", "发送 bye 并断开连接。";
    NotConnected => "Not connected.", "未连接。";
    Sending => "Sending…", "正在发送…";
    CannotBeSent => "cannot be sent", "无法发送";
    BytesTip => "The message's size in the wire encoding. The Python peers read at most 1024 bytes per turn.",
        "消息按发送编码计算的字节数。Python 对端每轮最多读取 1024 字节。";
    OverLimit => "This message is over 1024 bytes: a Python peer will read it as several turns and may get out of step. You can still send it.",
        "这条消息超过 1024 字节：Python 对端会把它当成好几轮来读，可能因此错乱。仍然可以发送。";
    ByeEnds => "Sending “bye” ends the conversation.", "发送“bye”会结束对话。";
    StartingServer => "Starting the server…", "正在启动服务器…";
    Connected => "Connected.", "已连接。";
    Idle => "Not connected. Start a server or connect to one.", "未连接。请启动服务器，或连接到一个服务器。";
    Ended => "This conversation has ended.", "对话已结束。";

    // The conversation list.
    Conversations => "Conversations", "对话";
    HideListTip => "Hide this list (the button above the conversation shows it again)", "隐藏列表（对话上方的按钮可以再显示）";
    ShowListTip => "Show the conversation list", "显示对话列表";
    FilterConversations => "Filter conversations", "筛选对话";
    FilterHint => "address…", "地址…";
    NoOneYet => "No one has connected yet.", "还没有人连接。";
    AtLimitTip => "The server is at its limit of conversations. Each is welcomed, in order, as a conversation ends.",
        "服务器的对话数已满。每结束一个对话，就按顺序接待一位等待的客户端。";
    SendToAllTip => "Send the message you are writing to every conversation where it is your turn; each gets it as its own turn.",
        "把正在写的消息发给所有轮到你的对话；每个对话各算一轮。";
    SendToAllDisabledTip => "Write a message first; it goes to everyone waiting for you.", "请先写好消息；它会发给所有在等你回复的人。";
    PhaseYourTurn => "your turn", "轮到你了";
    PhaseSending => "sending…", "正在发送…";
    PhaseWaiting => "waiting for them", "等待对方";
    PhaseEnded => "ended", "已结束";
    LastMessage => "Last message", "最后一条消息";
    CompactList => "Compact", "紧凑";
    CompactListTip => "One line a row, so a class of 30 fits on one screen", "每行一个对话，全班 30 人一屏就能看完";
    SortList => "Sort:", "排序：";
    SortConnected => "Connection order", "连接顺序";
    SortName => "Name", "姓名";
    SortWaiting => "Waiting longest", "等待最久";
    CloseEndedTip => "Close this ended conversation (Ctrl+W); its transcript file stays", "关闭这个已结束的对话（Ctrl+W）；聊天记录文件会保留";

    // The toolbar.
    SaveTranscript => "Save transcript…", "保存聊天记录…";
    SaveTranscriptTip => "Save the conversation on screen as plain text or JSON Lines (Ctrl+S).", "把当前显示的对话保存为纯文本或 JSON Lines（Ctrl+S）。";
    NothingToSaveTip => "There is no conversation on screen to save yet.", "现在还没有可以保存的对话。";
    OpenFolder => "Open transcripts folder", "打开记录文件夹";
    OpenFolderTip => "Every conversation is also kept there, as it happens.", "每个对话都会实时保存在这个文件夹里。";
    History => "History", "历史记录";
    HistoryTip => "Past conversations", "以前的对话";
    NotifyMe => "Notify me", "消息通知";
    NotifyMeTip => "When the TurnChat window is not in front and someone sends a message, show a desktop notification.",
        "TurnChat 窗口不在最前面时，收到消息就弹出桌面通知。";
    QuickSave => "Save to the transcripts folder", "保存到记录文件夹";

    // History.
    Refresh => "Refresh", "刷新";
    RefreshTip => "Read the transcripts folder again", "重新读取记录文件夹";
    ThisRun => "This run", "本次运行";
    Live => " (live)", "（进行中）";
    SavedConversations => "Saved conversations", "已保存的对话";
    Reading => "Reading…", "正在读取…";
    NoneYet => "None yet.", "还没有。";
    BackToLive => "Back to the current conversation", "回到当前对话";

    // The middle of the window with no conversation.
    HintListening => "No conversation yet. Tell the other person one of the addresses above.", "还没有对话。请把上面的某个地址告诉对方。";
    HintConnecting => "Press Cancel or Esc to stop trying. TurnChat gives up by itself after 5 seconds.", "按“取消”或 Esc 停止连接。5 秒内连不上，TurnChat 会自动放弃。";
    HintServer => "Click Start Server, then tell the other person this computer's address.", "点击“启动服务器”，然后把本机地址告诉对方。";
    HintClient => "Type the server's address and port, then click Connect.", "输入服务器的地址和端口，然后点击“连接”。";

    // Saved transcripts.
    Me => "me", "我";

    // Start-up: message boxes, `--help`.
    NoDisplay => "TurnChat needs a graphical desktop, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from your desktop session, or under Xvfb for testing.",
        "TurnChat 需要图形桌面，但没有找到（DISPLAY 和 WAYLAND_DISPLAY 都没有设置）。请在桌面环境中启动它；测试时可以用 Xvfb。";
    ConversationsSafe => "Your conversations so far are in the transcripts folder.", "到目前为止的对话都保存在记录文件夹里。";
    CliAbout => "TurnChat: chat in turns with another computer on your network, in Chinese (GBK).",
        "TurnChat：与局域网中的另一台电脑轮流聊天，支持中文（GBK）。";
    CliListen => "Start the server at launch, listening on PORT or HOST:PORT (host defaults to 0.0.0.0).",
        "启动时就开启服务器，监听“端口”或“地址:端口”（地址默认为 0.0.0.0）。";
    CliConnect => "Connect at launch to a server at HOST:PORT.", "启动时就连接到“地址:端口”上的服务器。";
    CliOneAtATime => "Serve one client at a time, like the reference server (the others wait, in order). For this run only.",
        "像参考服务器那样一次只接待一个客户端（其他人按顺序等待）。只对本次运行有效。";
    CliPerAddress => "How many conversations one computer may hold at once (default 8; 0: no limit, for a class behind one NAT router). For this run only.",
        "一台电脑同时最多可占用几个对话（默认 8；0 表示不限，适用于全班通过同一个 NAT 路由器上网的情况）。只对本次运行有效。";
    CliRenderer => "Which renderer to try first: glow (OpenGL; the default on Linux) or wgpu (Vulkan, Metal, DirectX, or OpenGL through wgpu; the default on Windows and macOS). The other one is tried if it fails.",
        "先尝试哪种渲染器：glow（OpenGL；Linux 上的默认）或 wgpu（经由 wgpu 使用 Vulkan、Metal、DirectX 或 OpenGL；Windows 和 macOS 上的默认）。失败时再试另一种。";
    CliLang => "The language of the window for this run: zh-CN (Chinese) or en (English). Without it: the language chosen in the window, else the system's.",
        "本次运行的界面语言：zh-CN（中文）或 en（英文）。不指定时，使用在窗口中选过的语言，否则跟随系统。";
    CliHelp => "Print help", "显示帮助";
    CliVersion => "Print version", "显示版本";
    CliUsage => "Usage:", "用法：";
    CliOptions => "Options:", "选项：";

    // The save dialog.
    SaveDialogTitle => "Save transcript", "保存聊天记录";
    PlainTextFilter => "Plain text (.txt)", "纯文本 (.txt)";
    JsonLinesFilter => "JSON Lines (.jsonl)", "JSON Lines (.jsonl)";
}
