; Inno Setup 6 script: per-user installer for Cà Mau Desk (issue 9).
;
;   iscc packaging\installer.iss                     (after PyInstaller made dist\CamauDesk)
;   iscc /DAppVersion=0.1.0 packaging\installer.iss  (CI passes the version; else read from the .exe)
;
; Why per-user: clerks have no administrator rights on agency PCs; the app, its data
; (%LOCALAPPDATA%\camau-desk) and its mirror (Documents\Cà Mau Desk) all belong to
; the Windows user. The uninstaller keeps data and mirror unless the user says otherwise:
; the mirror is the agency's offline copy of official mail (QĐ 26/2009/QĐ-UBND).
; This file is UTF-8 with a byte-order mark (needed for the Vietnamese text).

; Pascal-style preprocessor strings: a backslash in a path is a backslash, not an escape
#pragma parseroption -p+

#define AppName "Cà Mau Desk"
#define AppExe "CamauDesk.exe"
#define DataDirName "camau-desk"
#define MirrorDirName "Cà Mau Desk"
#define DistDir AddBackslash(SourcePath) + "..\dist\CamauDesk"
; x.y.z.w from the version resource PyInstaller wrote (packaging/version_info.txt)
#define FileVersion GetVersionNumbersString(AddBackslash(DistDir) + AppExe)
#ifndef AppVersion
  #define AppVersion FileVersion
#endif

; Vietnamese.isl is one of Inno Setup's unofficial translations: it is in the
; Languages\Unofficial folder of the Inno Setup sources (jrsoftware/issrc) and of
; some installs. Fallbacks: a copy next to this script (the Windows CI job fetches
; one), else an English-only installer with a warning.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Vietnamese.isl")
  #define VietnameseIsl "compiler:Languages\Unofficial\Vietnamese.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Vietnamese.isl")
  #define VietnameseIsl "compiler:Languages\Vietnamese.isl"
#elif FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
  #define VietnameseIsl AddBackslash(SourcePath) + "Vietnamese.isl"
#else
  #pragma warning "Vietnamese.isl not found: building an English-only installer"
#endif

[Setup]
AppId={{26EB1A66-3257-46F5-B851-452C207259E9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#FileVersion}
VersionInfoProductName={#AppName}
; per-user: no UAC prompt, installs into %LOCALAPPDATA%\Programs\Cà Mau Desk
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename=CamauDesk-{#AppVersion}-setup
SetupIconFile=camau_desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
; close a running Cà Mau Desk (Restart Manager) before replacing its files
CloseApplications=yes
RestartApplications=no

[Languages]
#ifdef VietnameseIsl
Name: "vietnamese"; MessagesFile: "{#VietnameseIsl}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english.DemoShortcut={#AppName} (demo data)
english.DeleteDataPrompt=Also delete the data of {#AppName} on this computer?%n%n%1%n%nDatabase, downloaded mail and logs. Choose No to keep them: reinstalling later finds everything again.
english.DeleteMirrorPrompt=Also delete the offline copy of all mail and documents?%n%n%1%n%nThis is the agency's archive required by the regulation. Choose No unless it has been copied elsewhere.
english.CredentialsNote=Mailbox passwords stay in Windows Credential Manager (entries named camau-desk); remove them there if this PC is being handed over.
#ifdef VietnameseIsl
vietnamese.DemoShortcut={#AppName} (dữ liệu mẫu)
vietnamese.DeleteDataPrompt=Xóa luôn dữ liệu của {#AppName} trên máy này?%n%n%1%n%nGồm cơ sở dữ liệu, thư đã tải về và nhật ký. Chọn Không để giữ lại: cài lại sau này sẽ thấy đủ như cũ.
vietnamese.DeleteMirrorPrompt=Xóa luôn bản lưu ngoại tuyến của toàn bộ thư và văn bản?%n%n%1%n%nĐây là kho lưu trữ của cơ quan theo quy chế. Chỉ chọn Có khi đã sao lưu sang nơi khác.
vietnamese.CredentialsNote=Mật khẩu các hộp thư vẫn nằm trong Windows Credential Manager (mục camau-desk); hãy xóa ở đó nếu bàn giao máy cho người khác.
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; the four daily mailbox checks (R5) need the app running: start it at logon (HKCU Run key)
Name: "autostart"; Description: "{cm:AutoStartProgram,{#AppName}}"; GroupDescription: "{cm:AutoStartProgramGroupDescription}"

[InstallDelete]
; an upgrade must not keep libraries of the previous build next to the new ones
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "CamauDesk"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ Uninstall keeps the user's data and mirror unless the user answers Yes (default No).
  Silent uninstall keeps them too, unless given /PURGE=1 (for an administrator wiping a PC). }

function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataDirName}');
end;

function MirrorDir(): String;
begin
  Result := ExpandConstant('{userdocs}\{#MirrorDirName}');
end;

function Purge(): Boolean;
begin
  Result := ExpandConstant('{param:PURGE|0}') = '1';
end;

function UninstText(const Name: String): String;
begin
  Result := CustomMessage(Name);
  StringChangeEx(Result, '%n', #13#10, True);
end;

function Confirm(const Name: String; const Path: String): Boolean;
begin
  if UninstallSilent() then
    Result := Purge()
  else
    Result := MsgBox(FmtMessage(UninstText(Name), [Path]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if DirExists(DataDir()) and Confirm('DeleteDataPrompt', DataDir()) then
    DelTree(DataDir(), True, True, True);
  if DirExists(MirrorDir()) and Confirm('DeleteMirrorPrompt', MirrorDir()) then
    DelTree(MirrorDir(), True, True, True);
  if not UninstallSilent() then
    MsgBox(UninstText('CredentialsNote'), mbInformation, MB_OK);
end;
