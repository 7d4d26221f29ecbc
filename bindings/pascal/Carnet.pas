{ Carnet for Delphi and Free Pascal: the binding of include/carnet.h.

  Two layers, both public:
  - the C declarations, one to one with the header (records with the C layout, every function
    declared `cdecl`, as CARNET_CALL is __cdecl on Windows and the platform's C convention
    elsewhere; Delphi's default `register` convention would corrupt the stack);
  - TCarnetClient, the class a Delphi developer uses: it owns the handle (Create opens,
    Free closes), takes and returns `string` (UTF-16 in Delphi 2009+, UnicodeString under Free
    Pascal: this unit converts to and from UTF-8 at the boundary), and raises ECarnetError,
    which carries the status, domain, code, field and the doctor's French message.

  Compiles with Delphi (Windows, 32 and 64 bits) and with Free Pascal in Delphi mode
  (`fpc -Mdelphi`). JSON documents stay text: use System.JSON (Delphi) or fpjson (FPC).
  docs/integration.md, "Delphi / Free Pascal". }
unit Carnet;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$MODESWITCH UNICODESTRINGS}
  {$CODEPAGE UTF8}
  {$PACKRECORDS C}
{$ELSE}
  {$ALIGN 8}
{$ENDIF}
{$MINENUMSIZE 4}

interface

uses
  SysUtils;

const
{$IFDEF MSWINDOWS}
  CarnetLibrary = 'carnet.dll';
{$ELSE}
  {$IFDEF DARWIN}
  CarnetLibrary = 'libcarnet.dylib';
  {$ELSE}
  CarnetLibrary = 'libcarnet.so.1';
  {$ENDIF}
{$ENDIF}

  CARNET_VERSION_MAJOR = 0;
  CARNET_VERSION_MINOR = 2;
  CARNET_VERSION_PATCH = 0;
  { The header's CARNET_VERSION_NUMBER and CARNET_VERSION_STRING: Pascal is case-insensitive, so
    those names would clash with the functions carnet_version_number and carnet_version_string. }
  CARNET_HEADER_VERSION_NUMBER = CARNET_VERSION_MAJOR * 10000 + CARNET_VERSION_MINOR * 100 + CARNET_VERSION_PATCH;
  CARNET_HEADER_VERSION_STRING = '0.2.0';
  CARNET_ERROR_MESSAGE_SIZE = 512;
  CARNET_ERROR_FIELD_SIZE = 64;
  CARNET_OPTIONS_VERSION = 3;

type
  { carnet_status. Values are the header's, explicit and append-only: a library newer than
    this unit may return others (ECarnetError.StatusCode keeps the number). }
  TCarnetStatus = (
    csOK = 0, csPending = 1, csInvalidArgument = 2, csNotFound = 3, csStorage = 4, csNetwork = 5,
    csTLS = 6, csHTTP = 7, csCredentials = 8, csAccessDenied = 9, csLocked = 10, csConflict = 11,
    csCancelled = 12, csTimeout = 13, csUnsupportedVersion = 14, csOutOfMemory = 15, csProtocol = 16,
    csCertificateExpired = 17, csInternal = 18, csWithdrawalCode = 19, csPKCS12Password = 20,
    csPKCS12Unsupported = 21, csIdentitySecret = 22, csNoCertificate = 23, csRejected = 24);

  { carnet_error_domain: where a failure comes from, to read its Code. }
  TCarnetErrorDomain = (cdNone = 0, cdValidation = 1, cdStorage = 2, cdNetwork = 3, cdTLS = 4, cdHTTP = 5,
    cdCredentials = 6, cdInternal = 7);

  { carnet_locale }
  TCarnetLocale = (clFrench = 0, clEnglish = 1);

  { carnet_log_level }
  TCarnetLogLevel = (llOff = 0, llError = 1, llWarning = 2, llInfo = 3, llDebug = 4);

  { carnet_event_kind }
  TCarnetEventKind = (ekPushed = 1, ekChanges = 2, ekFailure = 3, ekAccessRevoked = 4,
    ekCertificateExpiring = 5);

  { ---- the C layer ---- }

  PCarnetClientHandle = Pointer;  { carnet_client *, opaque }
  PPAnsiCharOut = ^PAnsiChar;     { char ** outputs, freed with carnet_string_free }

  { carnet_error, caller-allocated; StructSize = SizeOf(TCarnetErrorRecord) (carnet_error_init sets it). }
  PCarnetErrorRecord = ^TCarnetErrorRecord;
  TCarnetErrorRecord = record
    StructSize: UInt32;
    Status: Int32;
    Domain: Int32;
    Code: Int32;
    Message: array[0..CARNET_ERROR_MESSAGE_SIZE - 1] of AnsiChar;
    Field: array[0..CARNET_ERROR_FIELD_SIZE - 1] of AnsiChar;
  end;

  TCarnetLogCallback = procedure(Payload: Pointer; Level: Int32; Message: PAnsiChar); cdecl;
  TCarnetEventCallback = procedure(Payload: Pointer; Kind: Int32; DetailJson: PAnsiChar); cdecl;

  { carnet_options, version 3 (CARNET_OPTIONS_VERSION); fill it with carnet_options_init. }
  PCarnetOptionsRecord = ^TCarnetOptionsRecord;
  TCarnetOptionsRecord = record
    Version: UInt32;
    ServiceUrl: PAnsiChar;
    EnrollmentUrl: PAnsiChar;
    StoreDirectory: PAnsiChar;
    AccountEmail: PAnsiChar;
    AccountPassword: PAnsiChar;
    CaBundlePath: PAnsiChar;
    CrlPath: PAnsiChar;
    PinnedPublicKey: PAnsiChar;
    IdentitySecret: PAnsiChar;
    ConnectTimeoutMs: UInt32;
    RequestTimeoutMs: UInt32;
    Locale: Int32;
    LogCallback: TCarnetLogCallback;
    LogPayload: Pointer;
    LogLevel: Int32;
    PracticeId: PAnsiChar;
    TimeZone: PAnsiChar;
  end;

function carnet_version_string: PAnsiChar; cdecl; external CarnetLibrary name 'carnet_version_string';
function carnet_version_number: UInt32; cdecl; external CarnetLibrary name 'carnet_version_number';
function carnet_status_string(Status: Int32): PAnsiChar; cdecl; external CarnetLibrary name 'carnet_status_string';
function carnet_error_init(Error: PCarnetErrorRecord; StructSize: UInt32): Int32; cdecl;
  external CarnetLibrary name 'carnet_error_init';
function carnet_options_init(Options: PCarnetOptionsRecord; Version: UInt32): Int32; cdecl;
  external CarnetLibrary name 'carnet_options_init';
function carnet_client_open(Options: PCarnetOptionsRecord; out Client: PCarnetClientHandle;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_client_open';
procedure carnet_client_close(Client: PCarnetClientHandle); cdecl; external CarnetLibrary name 'carnet_client_close';
function carnet_client_cancel(Client: PCarnetClientHandle): Int32; cdecl;
  external CarnetLibrary name 'carnet_client_cancel';
function carnet_link_get(Client: PCarnetClientHandle; PatientId: PAnsiChar; OutCarnetId: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_link_get';
function carnet_link_set(Client: PCarnetClientHandle; PatientId, CarnetId: PAnsiChar;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_link_set';
function carnet_link_remove(Client: PCarnetClientHandle; PatientId: PAnsiChar; Error: PCarnetErrorRecord): Int32;
  cdecl; external CarnetLibrary name 'carnet_link_remove';
function carnet_certificate_enroll(Client: PCarnetClientHandle; WithdrawalCode: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_certificate_enroll';
function carnet_certificate_import_p12(Client: PCarnetClientHandle; Path, Password: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_certificate_import_p12';
function carnet_certificate_info(Client: PCarnetClientHandle; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_certificate_info';
function carnet_certificate_renew(Client: PCarnetClientHandle; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_certificate_renew';
function carnet_record_create(Client: PCarnetClientHandle; PatientId, PatientJson: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_record_create';
function carnet_share_code_lookup(Client: PCarnetClientHandle; ShareCode: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_share_code_lookup';
function carnet_record_claim(Client: PCarnetClientHandle; PatientId, ShareCode, CandidateId, BirthDate: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_record_claim';
function carnet_share_code_resend(Client: PCarnetClientHandle; PatientId: PAnsiChar;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_share_code_resend';
function carnet_vaccinations_list(Client: PCarnetClientHandle; PatientId: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_vaccinations_list';
function carnet_vaccinations_accept(Client: PCarnetClientHandle; PatientId, MappingJson: PAnsiChar;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_vaccinations_accept';
function carnet_vaccination_add(Client: PCarnetClientHandle; PatientId, ImmunizationJson: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_vaccination_add';
function carnet_vaccination_update(Client: PCarnetClientHandle; PatientId, ImmunizationJson: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_vaccination_update';
function carnet_vaccinations_add(Client: PCarnetClientHandle; PatientId, ImmunizationsJson: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_vaccinations_add';
function carnet_vaccination_remove(Client: PCarnetClientHandle; PatientId, HostVaccinationId: PAnsiChar;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_vaccination_remove';
function carnet_sync(Client: PCarnetClientHandle; PatientId: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_sync';
function carnet_outbox_status(Client: PCarnetClientHandle; PatientId: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_outbox_status';
function carnet_sync_start(Client: PCarnetClientHandle; IntervalMs: UInt32; Callback: TCarnetEventCallback;
  Payload: Pointer; Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_sync_start';
function carnet_sync_stop(Client: PCarnetClientHandle): Int32; cdecl; external CarnetLibrary name 'carnet_sync_stop';
function carnet_recommendations_get(Client: PCarnetClientHandle; PatientId: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_recommendations_get';
function carnet_recommendations_get_with_context(Client: PCarnetClientHandle; PatientId, ContextJson: PAnsiChar;
  OutJson: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_recommendations_get_with_context';
function carnet_vaccination_dmp_note(Client: PCarnetClientHandle; PatientId, HostVaccinationId,
  HostContextJson: PAnsiChar; OutXml: PPAnsiCharOut; Error: PCarnetErrorRecord): Int32; cdecl;
  external CarnetLibrary name 'carnet_vaccination_dmp_note';
function carnet_vaccines_search(Client: PCarnetClientHandle; Query: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_vaccines_search';
function carnet_catalogue_info(Client: PCarnetClientHandle; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_catalogue_info';
function carnet_catalogue_import(Client: PCarnetClientHandle; Directory: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_catalogue_import';
function carnet_vaccine_scan(Client: PCarnetClientHandle; Scanned: PAnsiChar; OutJson: PPAnsiCharOut;
  Error: PCarnetErrorRecord): Int32; cdecl; external CarnetLibrary name 'carnet_vaccine_scan';
procedure carnet_string_free(Text: PAnsiChar); cdecl; external CarnetLibrary name 'carnet_string_free';

type
  { ---- the Delphi layer ---- }

  { A failing status. Message (inherited) is the sentence for the doctor, in French by default;
    it never contains patient data. Under Free Pascal, whose SysUtils keeps Message an AnsiString,
    it holds the UTF-8 bytes as they are (never converted to a narrower code page). }
  ECarnetError = class(Exception)
  private
    FStatusCode: Int32;
    FDomain: TCarnetErrorDomain;
    FCode: Int32;
    FField: string;
    function GetStatus: TCarnetStatus;
    function GetStatusName: string;
  public
    constructor CreateFromRecord(StatusCode: Int32; const Error: TCarnetErrorRecord);
    constructor CreateStatus(StatusCode: Int32; Domain: TCarnetErrorDomain; const Message, Field: string);
    { The status; check StatusCode too when this unit may be older than the library. }
    property Status: TCarnetStatus read GetStatus;
    property StatusCode: Int32 read FStatusCode;
    { For logs: 'CARNET_E_NETWORK'. }
    property StatusName: string read GetStatusName;
    property Domain: TCarnetErrorDomain read FDomain;
    { The domain's number: SQLite result code, CURLcode, HTTP status; 0 when none. }
    property Code: Int32 read FCode;
    { The input at fault ('birthDate', 'patient_id'): put the cursor there. Empty when none. }
    property Field: string read FField;
  end;

  TCarnetLogHandler = procedure(Level: TCarnetLogLevel; const Message: string) of object;
  TCarnetEventHandler = procedure(Kind: TCarnetEventKind; const DetailJson: string) of object;

  { How to open a client (carnet_options). Start from CarnetDefaultOptions; '' means not set. }
  TCarnetOptions = record
    ServiceUrl: string;
    EnrollmentUrl: string;
    StoreDirectory: string;
    AccountEmail: string;
    AccountPassword: string;
    CaBundlePath: string;
    CrlPath: string;
    PinnedPublicKey: string;
    IdentitySecret: string;
    PracticeId: string;
    { 'Europe/Paris' when ''; see carnet.h (options version 3). }
    TimeZone: string;
    ConnectTimeoutMs: Cardinal;
    RequestTimeoutMs: Cardinal;
    Locale: TCarnetLocale;
    LogLevel: TCarnetLogLevel;
    { Called from any thread (the caller's or the background sync's); must be thread-safe. }
    OnLog: TCarnetLogHandler;
  end;

  { What an add, update or remove did: csOK or csPending, and the state document (JSON). }
  TCarnetChange = record
    Status: TCarnetStatus;
    StateJson: string;
    { Why it is pending (for the doctor: "sera envoyé dès que possible"); '' when delivered. }
    PendingReason: string;
  end;

  { What carnet_vaccinations_add did: the call's status and the per-item results document
    (docs/schemas/batch-results.schema.json), filled unless the whole call failed. }
  TCarnetBatch = record
    Status: TCarnetStatus;
    StatusCode: Int32;
    ResultsJson: string;
  end;

  { An open client: the local store and the service. Thread-safe, like the handle.
    Every method raises ECarnetError on failure; csPending is not a failure. }
  TCarnetClient = class
  private
    FHandle: PCarnetClientHandle;
    FOnLog: TCarnetLogHandler;
    FOnEvent: TCarnetEventHandler;
    function CheckOut(Status: Int32; const Error: TCarnetErrorRecord; Text: PAnsiChar): string;
    function CheckChange(Status: Int32; const Error: TCarnetErrorRecord; Text: PAnsiChar): TCarnetChange;
  public
    { Opens the store (carnet_client_open); raises ECarnetError when the options are refused. }
    constructor Create(const Options: TCarnetOptions);
    { Stops the background sync and closes the handle (carnet_client_close). }
    destructor Destroy; override;
    { Makes the operations running now fail with csCancelled; never blocks. }
    procedure Cancel;

    function LinkGet(const PatientId: string): string;
    procedure LinkSet(const PatientId, CarnetId: string);
    procedure LinkRemove(const PatientId: string);

    function CertificateEnroll(const WithdrawalCode: string): string;
    function CertificateImportP12(const Path, Password: string): string;
    function CertificateInfo: string;
    { « Renouveler le certificat »: a new key and certificate, without a withdrawal code. }
    function CertificateRenew: string;

    function RecordCreate(const PatientId, PatientJson: string): string;
    function ShareCodeLookup(const ShareCode: string): string;
    function RecordClaim(const PatientId, ShareCode, CandidateId, BirthDate: string): string;
    procedure ShareCodeResend(const PatientId: string);

    function VaccinationsList(const PatientId: string): string;
    procedure VaccinationsAccept(const PatientId, MappingJson: string);
    function VaccinationAdd(const PatientId, ImmunizationJson: string): TCarnetChange;
    function VaccinationUpdate(const PatientId, ImmunizationJson: string): TCarnetChange;
    function VaccinationRemove(const PatientId, HostVaccinationId: string): TCarnetChange;
    { Many vaccinations at once (a JSON array or Bundle); raises only when the whole call fails. }
    function VaccinationsAdd(const PatientId, ImmunizationsJson: string): TCarnetBatch;

    { PatientId '' means every linked patient. }
    function Sync(const PatientId: string = ''): string;
    function OutboxStatus(const PatientId: string = ''): string;
    { Starts the background sync; Handler (may be nil) runs on the library's thread. }
    procedure SyncStart(IntervalMs: Cardinal; Handler: TCarnetEventHandler);
    procedure SyncStop;

    function RecommendationsGet(const PatientId: string): string;
    { ContextJson '' means none (the general population, today). }
    function RecommendationsGetWithContext(const PatientId, ContextJson: string): string;
    { The VAC-NOTE CDA document (XML) of a vaccination the host recorded. }
    function VaccinationDmpNote(const PatientId, HostVaccinationId, HostContextJson: string): string;
    function VaccinesSearch(const Query: string): string;
    function CatalogueInfo: string;
    function CatalogueImport(const Directory: string): string;
    function VaccineScan(const Scanned: string): string;

    { The C handle, for a function this class does not cover yet. }
    property Handle: PCarnetClientHandle read FHandle;
  end;

function CarnetDefaultOptions: TCarnetOptions;
{ The library's version at run time ('0.2.0'); compare with CARNET_HEADER_VERSION_STRING. }
function CarnetVersion: string;
{ UTF-8 at the C boundary. }
function CarnetToUtf8(const S: string): UTF8String;
function CarnetFromUtf8(Text: PAnsiChar): string;

implementation

function CarnetToUtf8(const S: string): UTF8String;
begin
  Result := UTF8Encode(S);
end;

function CarnetFromUtf8(Text: PAnsiChar): string;
{$IFDEF FPC}
var
  Bytes: RawByteString;
{$ENDIF}
begin
  if Text = nil then
    Exit('');
{$IFDEF FPC}
  { The bytes as they are, labelled UTF-8: a cast would first convert them from the system code
    page (lossy under a C locale). }
  SetString(Bytes, Text, StrLen(Text));
  SetCodePage(Bytes, CP_UTF8, False);
  Result := UTF8Decode(Bytes);
{$ELSE}
  Result := UTF8ToString(Text);  { the PAnsiChar overload: no ANSI code page involved }
{$ENDIF}
end;

{ A UTF-8 copy kept alive by the caller's local variable; nil for '' when the argument is optional. }
function OptionalUtf8(const S: string; var Keep: UTF8String): PAnsiChar;
begin
  if S = '' then
    Exit(nil);
  Keep := CarnetToUtf8(S);
  Result := PAnsiChar(Keep);
end;

function NewError: TCarnetErrorRecord;
begin
  FillChar(Result, SizeOf(Result), 0);
  carnet_error_init(@Result, SizeOf(Result));
end;

function CarnetDefaultOptions: TCarnetOptions;
begin
  Result.ServiceUrl := '';
  Result.EnrollmentUrl := '';
  Result.StoreDirectory := '';
  Result.AccountEmail := '';
  Result.AccountPassword := '';
  Result.CaBundlePath := '';
  Result.CrlPath := '';
  Result.PinnedPublicKey := '';
  Result.IdentitySecret := '';
  Result.PracticeId := '';
  Result.TimeZone := '';
  Result.ConnectTimeoutMs := 0;
  Result.RequestTimeoutMs := 0;
  Result.Locale := clFrench;
  Result.LogLevel := llWarning;
  Result.OnLog := nil;
end;

function CarnetVersion: string;
begin
  Result := CarnetFromUtf8(carnet_version_string);
end;

{ ECarnetError }

{$IFDEF FPC}
{ The RTL's Exception.Message is an AnsiString: keep the UTF-8 bytes, labelled with the system
  code page so that no conversion (lossy under a C locale) ever touches them. }
function ExceptionText(const S: string): AnsiString;
var
  Bytes: RawByteString;
begin
  Bytes := UTF8Encode(S);
  SetCodePage(Bytes, DefaultSystemCodePage, False);
  Result := Bytes;
end;
{$ELSE}
function ExceptionText(const S: string): string;
begin
  Result := S;
end;
{$ENDIF}

constructor ECarnetError.CreateFromRecord(StatusCode: Int32; const Error: TCarnetErrorRecord);
var
  Text: string;
begin
  Text := CarnetFromUtf8(@Error.Message[0]);
  if Text = '' then
    Text := CarnetFromUtf8(carnet_status_string(StatusCode));
  inherited Create(ExceptionText(Text));
  FStatusCode := StatusCode;
  FDomain := TCarnetErrorDomain(Error.Domain);
  FCode := Error.Code;
  FField := CarnetFromUtf8(@Error.Field[0]);
end;

constructor ECarnetError.CreateStatus(StatusCode: Int32; Domain: TCarnetErrorDomain; const Message, Field: string);
begin
  inherited Create(ExceptionText(Message));
  FStatusCode := StatusCode;
  FDomain := Domain;
  FCode := 0;
  FField := Field;
end;

function ECarnetError.GetStatus: TCarnetStatus;
begin
  Result := TCarnetStatus(FStatusCode);
end;

function ECarnetError.GetStatusName: string;
begin
  Result := CarnetFromUtf8(carnet_status_string(FStatusCode));
end;

{ The C callbacks: never let an exception unwind into the library. }

procedure LogTrampoline(Payload: Pointer; Level: Int32; Message: PAnsiChar); cdecl;
begin
  try
    TCarnetClient(Payload).FOnLog(TCarnetLogLevel(Level), CarnetFromUtf8(Message));
  except
    { dropped: the library must not see a Pascal exception }
  end;
end;

procedure EventTrampoline(Payload: Pointer; Kind: Int32; DetailJson: PAnsiChar); cdecl;
begin
  try
    if Assigned(TCarnetClient(Payload).FOnEvent) then
      TCarnetClient(Payload).FOnEvent(TCarnetEventKind(Kind), CarnetFromUtf8(DetailJson));
  except
    { dropped }
  end;
end;

{ TCarnetClient }

constructor TCarnetClient.Create(const Options: TCarnetOptions);
var
  Raw: TCarnetOptionsRecord;
  Error: TCarnetErrorRecord;
  Status: Int32;
  KeepService, KeepEnrollment, KeepStore, KeepEmail, KeepPassword, KeepCa, KeepCrl, KeepPin, KeepSecret,
    KeepPractice, KeepTimeZone: UTF8String;
begin
  inherited Create;
  FillChar(Raw, SizeOf(Raw), 0);
  if carnet_options_init(@Raw, CARNET_OPTIONS_VERSION) <> Ord(csOK) then
    raise ECarnetError.CreateStatus(Ord(csUnsupportedVersion), cdValidation,
      'La bibliothèque Carnet est plus ancienne que cette unité.', 'version');
  Raw.ServiceUrl := OptionalUtf8(Options.ServiceUrl, KeepService);
  Raw.EnrollmentUrl := OptionalUtf8(Options.EnrollmentUrl, KeepEnrollment);
  Raw.StoreDirectory := OptionalUtf8(Options.StoreDirectory, KeepStore);
  Raw.AccountEmail := OptionalUtf8(Options.AccountEmail, KeepEmail);
  Raw.AccountPassword := OptionalUtf8(Options.AccountPassword, KeepPassword);
  Raw.CaBundlePath := OptionalUtf8(Options.CaBundlePath, KeepCa);
  Raw.CrlPath := OptionalUtf8(Options.CrlPath, KeepCrl);
  Raw.PinnedPublicKey := OptionalUtf8(Options.PinnedPublicKey, KeepPin);
  Raw.IdentitySecret := OptionalUtf8(Options.IdentitySecret, KeepSecret);
  Raw.PracticeId := OptionalUtf8(Options.PracticeId, KeepPractice);
  Raw.TimeZone := OptionalUtf8(Options.TimeZone, KeepTimeZone);
  Raw.ConnectTimeoutMs := Options.ConnectTimeoutMs;
  Raw.RequestTimeoutMs := Options.RequestTimeoutMs;
  Raw.Locale := Ord(Options.Locale);
  Raw.LogLevel := Ord(Options.LogLevel);
  FOnLog := Options.OnLog;
  if Assigned(FOnLog) then
  begin
    Raw.LogCallback := LogTrampoline;
    Raw.LogPayload := Self;
  end;
  Error := NewError;
  Status := carnet_client_open(@Raw, FHandle, @Error);
  if Status <> Ord(csOK) then
    raise ECarnetError.CreateFromRecord(Status, Error);
end;

destructor TCarnetClient.Destroy;
begin
  if FHandle <> nil then
    carnet_client_close(FHandle);
  FHandle := nil;
  inherited Destroy;
end;

procedure TCarnetClient.Cancel;
begin
  if FHandle <> nil then
    carnet_client_cancel(FHandle);
end;

function TCarnetClient.CheckOut(Status: Int32; const Error: TCarnetErrorRecord; Text: PAnsiChar): string;
begin
  try
    Result := CarnetFromUtf8(Text);
  finally
    carnet_string_free(Text);
  end;
  if Status <> Ord(csOK) then
    raise ECarnetError.CreateFromRecord(Status, Error);
end;

function TCarnetClient.CheckChange(Status: Int32; const Error: TCarnetErrorRecord; Text: PAnsiChar): TCarnetChange;
begin
  try
    Result.StateJson := CarnetFromUtf8(Text);
  finally
    carnet_string_free(Text);
  end;
  if (Status <> Ord(csOK)) and (Status <> Ord(csPending)) then
    raise ECarnetError.CreateFromRecord(Status, Error);
  Result.Status := TCarnetStatus(Status);
  if Status = Ord(csPending) then
    Result.PendingReason := CarnetFromUtf8(@Error.Message[0])
  else
    Result.PendingReason := '';
end;

procedure Check(Status: Int32; const Error: TCarnetErrorRecord);
begin
  if Status <> Ord(csOK) then
    raise ECarnetError.CreateFromRecord(Status, Error);
end;

function TCarnetClient.LinkGet(const PatientId: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  Result := CheckOut(carnet_link_get(FHandle, PAnsiChar(P), @Text, @Error), Error, Text);
end;

procedure TCarnetClient.LinkSet(const PatientId, CarnetId: string);
var
  Error: TCarnetErrorRecord;
  P, C: UTF8String;
begin
  Error := NewError;
  P := CarnetToUtf8(PatientId);
  C := CarnetToUtf8(CarnetId);
  Check(carnet_link_set(FHandle, PAnsiChar(P), PAnsiChar(C), @Error), Error);
end;

procedure TCarnetClient.LinkRemove(const PatientId: string);
var
  Error: TCarnetErrorRecord;
  P: UTF8String;
begin
  Error := NewError;
  P := CarnetToUtf8(PatientId);
  Check(carnet_link_remove(FHandle, PAnsiChar(P), @Error), Error);
end;

function TCarnetClient.CertificateEnroll(const WithdrawalCode: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  W: UTF8String;
begin
  Error := NewError;
  Text := nil;
  W := CarnetToUtf8(WithdrawalCode);
  Result := CheckOut(carnet_certificate_enroll(FHandle, PAnsiChar(W), @Text, @Error), Error, Text);
end;

function TCarnetClient.CertificateImportP12(const Path, Password: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, W: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(Path);
  W := CarnetToUtf8(Password);  { '' is a valid password: pass "" rather than nil }
  Result := CheckOut(carnet_certificate_import_p12(FHandle, PAnsiChar(P), PAnsiChar(W), @Text, @Error),
    Error, Text);
end;

function TCarnetClient.CertificateInfo: string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
begin
  Error := NewError;
  Text := nil;
  Result := CheckOut(carnet_certificate_info(FHandle, @Text, @Error), Error, Text);
end;

function TCarnetClient.CertificateRenew: string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
begin
  Error := NewError;
  Text := nil;
  Result := CheckOut(carnet_certificate_renew(FHandle, @Text, @Error), Error, Text);
end;

function TCarnetClient.RecordCreate(const PatientId, PatientJson: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, J: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  J := CarnetToUtf8(PatientJson);
  Result := CheckOut(carnet_record_create(FHandle, PAnsiChar(P), PAnsiChar(J), @Text, @Error), Error, Text);
end;

function TCarnetClient.ShareCodeLookup(const ShareCode: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  S: UTF8String;
begin
  Error := NewError;
  Text := nil;
  S := CarnetToUtf8(ShareCode);
  Result := CheckOut(carnet_share_code_lookup(FHandle, PAnsiChar(S), @Text, @Error), Error, Text);
end;

function TCarnetClient.RecordClaim(const PatientId, ShareCode, CandidateId, BirthDate: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, S, C, B: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  S := CarnetToUtf8(ShareCode);
  C := CarnetToUtf8(CandidateId);
  B := CarnetToUtf8(BirthDate);
  Result := CheckOut(carnet_record_claim(FHandle, PAnsiChar(P), PAnsiChar(S), PAnsiChar(C), PAnsiChar(B), @Text,
    @Error), Error, Text);
end;

procedure TCarnetClient.ShareCodeResend(const PatientId: string);
var
  Error: TCarnetErrorRecord;
  P: UTF8String;
begin
  Error := NewError;
  P := CarnetToUtf8(PatientId);
  Check(carnet_share_code_resend(FHandle, PAnsiChar(P), @Error), Error);
end;

function TCarnetClient.VaccinationsList(const PatientId: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  Result := CheckOut(carnet_vaccinations_list(FHandle, PAnsiChar(P), @Text, @Error), Error, Text);
end;

procedure TCarnetClient.VaccinationsAccept(const PatientId, MappingJson: string);
var
  Error: TCarnetErrorRecord;
  P, M: UTF8String;
begin
  Error := NewError;
  P := CarnetToUtf8(PatientId);
  M := CarnetToUtf8(MappingJson);
  Check(carnet_vaccinations_accept(FHandle, PAnsiChar(P), PAnsiChar(M), @Error), Error);
end;

function TCarnetClient.VaccinationAdd(const PatientId, ImmunizationJson: string): TCarnetChange;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, J: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  J := CarnetToUtf8(ImmunizationJson);
  Result := CheckChange(carnet_vaccination_add(FHandle, PAnsiChar(P), PAnsiChar(J), @Text, @Error), Error, Text);
end;

function TCarnetClient.VaccinationUpdate(const PatientId, ImmunizationJson: string): TCarnetChange;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, J: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  J := CarnetToUtf8(ImmunizationJson);
  Result := CheckChange(carnet_vaccination_update(FHandle, PAnsiChar(P), PAnsiChar(J), @Text, @Error), Error,
    Text);
end;

function TCarnetClient.VaccinationRemove(const PatientId, HostVaccinationId: string): TCarnetChange;
var
  Error: TCarnetErrorRecord;
  P, H: UTF8String;
begin
  Error := NewError;
  P := CarnetToUtf8(PatientId);
  H := CarnetToUtf8(HostVaccinationId);
  Result := CheckChange(carnet_vaccination_remove(FHandle, PAnsiChar(P), PAnsiChar(H), @Error), Error, nil);
end;

function TCarnetClient.VaccinationsAdd(const PatientId, ImmunizationsJson: string): TCarnetBatch;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, J: UTF8String;
  Status: Int32;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  J := CarnetToUtf8(ImmunizationsJson);
  Status := carnet_vaccinations_add(FHandle, PAnsiChar(P), PAnsiChar(J), @Text, @Error);
  try
    Result.ResultsJson := CarnetFromUtf8(Text);
  finally
    carnet_string_free(Text);
  end;
  if (Text = nil) and (Status <> Ord(csOK)) and (Status <> Ord(csPending)) then
    raise ECarnetError.CreateFromRecord(Status, Error);
  Result.StatusCode := Status;
  Result.Status := TCarnetStatus(Status);
end;

function TCarnetClient.Sync(const PatientId: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P: UTF8String;
begin
  Error := NewError;
  Text := nil;
  Result := CheckOut(carnet_sync(FHandle, OptionalUtf8(PatientId, P), @Text, @Error), Error, Text);
end;

function TCarnetClient.OutboxStatus(const PatientId: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P: UTF8String;
begin
  Error := NewError;
  Text := nil;
  Result := CheckOut(carnet_outbox_status(FHandle, OptionalUtf8(PatientId, P), @Text, @Error), Error, Text);
end;

procedure TCarnetClient.SyncStart(IntervalMs: Cardinal; Handler: TCarnetEventHandler);
var
  Error: TCarnetErrorRecord;
begin
  carnet_sync_stop(FHandle);  { the previous handler must not run once replaced }
  FOnEvent := Handler;
  Error := NewError;
  Check(carnet_sync_start(FHandle, IntervalMs, EventTrampoline, Self, @Error), Error);
end;

procedure TCarnetClient.SyncStop;
begin
  if FHandle <> nil then
    carnet_sync_stop(FHandle);
end;

function TCarnetClient.RecommendationsGet(const PatientId: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  Result := CheckOut(carnet_recommendations_get(FHandle, PAnsiChar(P), @Text, @Error), Error, Text);
end;

function TCarnetClient.RecommendationsGetWithContext(const PatientId, ContextJson: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, C: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  Result := CheckOut(carnet_recommendations_get_with_context(FHandle, PAnsiChar(P), OptionalUtf8(ContextJson, C),
    @Text, @Error), Error, Text);
end;

function TCarnetClient.VaccinationDmpNote(const PatientId, HostVaccinationId, HostContextJson: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  P, H, C: UTF8String;
begin
  Error := NewError;
  Text := nil;
  P := CarnetToUtf8(PatientId);
  H := CarnetToUtf8(HostVaccinationId);
  C := CarnetToUtf8(HostContextJson);
  Result := CheckOut(carnet_vaccination_dmp_note(FHandle, PAnsiChar(P), PAnsiChar(H), PAnsiChar(C), @Text, @Error),
    Error, Text);
end;

function TCarnetClient.VaccinesSearch(const Query: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  Q: UTF8String;
begin
  Error := NewError;
  Text := nil;
  Q := CarnetToUtf8(Query);
  Result := CheckOut(carnet_vaccines_search(FHandle, PAnsiChar(Q), @Text, @Error), Error, Text);
end;

function TCarnetClient.CatalogueInfo: string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
begin
  Error := NewError;
  Text := nil;
  Result := CheckOut(carnet_catalogue_info(FHandle, @Text, @Error), Error, Text);
end;

function TCarnetClient.CatalogueImport(const Directory: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  D: UTF8String;
begin
  Error := NewError;
  Text := nil;
  D := CarnetToUtf8(Directory);
  Result := CheckOut(carnet_catalogue_import(FHandle, PAnsiChar(D), @Text, @Error), Error, Text);
end;

function TCarnetClient.VaccineScan(const Scanned: string): string;
var
  Error: TCarnetErrorRecord;
  Text: PAnsiChar;
  S: UTF8String;
begin
  Error := NewError;
  Text := nil;
  S := CarnetToUtf8(Scanned);
  Result := CheckOut(carnet_vaccine_scan(FHandle, PAnsiChar(S), @Text, @Error), Error, Text);
end;

end.
