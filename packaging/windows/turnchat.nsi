; The TurnChat installer for Windows, built on Linux with NSIS:
;
;   makensis -DVERSION=0.1.0 -DEXE=path/to/turnchat.exe -DOUTFILE=path/to/setup.exe \
;            -DROOT=path/to/repository packaging/windows/turnchat.nsi
;
; (tools/windows-check.sh does this.) What it does, for one user, with no administrator
; rights:
;   - installs turnchat.exe and the licences into %LOCALAPPDATA%\Programs\TurnChat,
;   - adds a Start-menu shortcut, and a desktop shortcut unless that box is cleared,
;   - registers an uninstaller under "Apps & features" (HKCU),
;   - offers, unticked, inbound Windows Firewall rules for turnchat.exe on the server's
;     port (8888, or /PORT=N on the command line) and on UDP 5353 (LAN discovery). Adding a firewall rule needs an
;     administrator, so only that step asks for one (UAC), and only if it was chosen.
;     Without the rule, Windows asks the first time TurnChat listens.
;
; Silent: `setup.exe /S` (add /FIREWALL to add the rule, /NODESKTOP to skip the desktop
; shortcut); `uninstall.exe /S`. The uninstaller leaves the user's conversations and
; settings (in %APPDATA%\TurnChat) where they are.

; A 64-bit installer for a 64-bit program: it runs wherever turnchat.exe can (and under
; a Wine without 32-bit support).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "Pass -DVERSION=x.y.z"
!endif
!ifndef EXE
  !error "Pass -DEXE=path\to\turnchat.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "turnchat-${VERSION}-setup.exe"
!endif
!ifndef ROOT
  !define ROOT "..\.."
!endif

!define APP "TurnChat"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\TurnChat"
!define APP_KEY "Software\TurnChat"
!define RULE "TurnChat"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\TurnChat"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Copyright 2026 The TurnChat developers (MIT)"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ROOT}\assets\icons\turnchat.ico"
!define MUI_UNICON "${ROOT}\assets\icons\turnchat.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\turnchat.exe"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString SecApp ${LANG_ENGLISH} "TurnChat"
LangString SecApp ${LANG_SIMPCHINESE} "TurnChat"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecFirewall ${LANG_ENGLISH} "Allow other computers through Windows Firewall (asks for an administrator)"
LangString SecFirewall ${LANG_SIMPCHINESE} "允许其他电脑通过 Windows 防火墙连接（需要管理员权限）"

Var Port


Section "!$(SecApp)" SEC_APP
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "/oname=turnchat.exe" "${EXE}"
  File "/oname=LICENSE.txt" "${ROOT}\LICENSE"
  File "/oname=LICENSE-fonts-OFL.txt" "${ROOT}\assets\fonts\LICENSE-OFL.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\TurnChat.lnk" "$INSTDIR\turnchat.exe" "" "$INSTDIR\turnchat.exe" 0

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The TurnChat developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\turnchat.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SEC_DESKTOP
  SetShellVarContext current
  CreateShortcut "$DESKTOP\TurnChat.lnk" "$INSTDIR\turnchat.exe" "" "$INSTDIR\turnchat.exe" 0
SectionEnd

; Unticked: offered, never forced.
Section /o "$(SecFirewall)" SEC_FIREWALL
  DetailPrint "Adding the firewall rule for turnchat.exe, TCP port $Port (private and domain networks)"
  ExecShellWait "runas" "$SYSDIR\netsh.exe" 'advfirewall firewall add rule name="${RULE}" dir=in action=allow protocol=TCP localport=$Port profile=private,domain program="$INSTDIR\turnchat.exe" enable=yes' SW_HIDE
  ; LAN discovery (multicast DNS): the same rule name, so the uninstaller's one delete
  ; removes both.
  DetailPrint "Adding the firewall rule for turnchat.exe, UDP port 5353 (LAN discovery)"
  ExecShellWait "runas" "$SYSDIR\netsh.exe" 'advfirewall firewall add rule name="${RULE}" dir=in action=allow protocol=UDP localport=5353 profile=private,domain program="$INSTDIR\turnchat.exe" enable=yes' SW_HIDE
  WriteRegStr HKCU "${APP_KEY}" "FirewallRule" "${RULE}"
SectionEnd

; After the sections, so that their ids exist. The command line can choose the port and
; the optional parts (what a silent install gets).
Function .onInit
  ${GetParameters} $0
  StrCpy $Port "8888"
  ClearErrors
  ${GetOptions} $0 "/PORT=" $1
  ${IfNot} ${Errors}
    StrCpy $Port $1
  ${EndIf}
  ClearErrors
  ${GetOptions} $0 "/FIREWALL" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${SEC_FIREWALL} ${SF_SELECTED}
  ${EndIf}
  ClearErrors
  ${GetOptions} $0 "/NODESKTOP" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${SEC_DESKTOP} 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  ReadRegStr $0 HKCU "${APP_KEY}" "FirewallRule"
  ${If} $0 != ""
    ExecShellWait "runas" "$SYSDIR\netsh.exe" 'advfirewall firewall delete rule name="$0"' SW_HIDE
  ${EndIf}
  Delete "$SMPROGRAMS\TurnChat.lnk"
  Delete "$DESKTOP\TurnChat.lnk"
  Delete "$INSTDIR\turnchat.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\LICENSE-fonts-OFL.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd
