{ The binding walk in Pascal (unit Carnet): the guide's main flow against a real service,
  printing the lines bindings/run_walks.py checks (bindings/README.md, "The walk").

    carnet-walk-pascal STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET WITHDRAWAL_CODE HOST_ID

  Built with `fpc -Mdelphi`; JSON with fpjson (a Delphi host uses System.JSON the same way). }
program CarnetWalk;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$MODESWITCH UNICODESTRINGS}
  {$CODEPAGE UTF8}
{$ENDIF}
{$APPTYPE CONSOLE}

uses
{$IFDEF UNIX}
  cthreads,  { first: the library calls the handlers on its own threads (Free Pascal needs a thread manager) }
  cwstring,  { UTF-8 <-> UTF-16 for the console and fpjson under Free Pascal }
{$ENDIF}
  SysUtils, fpjson, jsonparser, Carnet;

const
  PatientId = 'P-WALK-1';

type
  { The log and event handlers (methods: `of object`), called on the library's threads. }
  TWalkHandlers = class
  public
    LogLines: Integer;
    procedure OnLog(Level: TCarnetLogLevel; const Message: string);
    procedure OnEvent(Kind: TCarnetEventKind; const DetailJson: string);
  end;

procedure TWalkHandlers.OnLog(Level: TCarnetLogLevel; const Message: string);
begin
  InterLockedIncrement(LogLines);
end;

procedure TWalkHandlers.OnEvent(Kind: TCarnetEventKind; const DetailJson: string);
begin
end;

function Parse(const Json: string): TJSONData;
begin
  Result := GetJSON(UTF8Encode(Json));
end;

{ The patient of the walk: a family name with an apostrophe and quotes, an accented given name. }
function PatientJson(WithBirthDate: Boolean): string;
var
  Patient, Name, Telecom: TJSONObject;
begin
  Name := TJSONObject.Create;
  Name.Add('family', UTF8Encode('D''Arc "la Pucelle"'));
  Name.Add('given', TJSONArray.Create([UTF8Encode('Hélène')]));
  Telecom := TJSONObject.Create(['system', 'email', 'value', 'helene.darc@example.org']);
  Patient := TJSONObject.Create(['resourceType', 'Patient']);
  try
    Patient.Add('name', TJSONArray.Create([Name]));
    if WithBirthDate then
      Patient.Add('birthDate', '1950-04-02');
    Patient.Add('gender', 'female');
    Patient.Add('telecom', TJSONArray.Create([Telecom]));
    Result := UTF8Decode(Patient.AsJSON);
  finally
    Patient.Free;
  end;
end;

function ImmunizationJson(const HostId, Cis, Display: string): string;
var
  Immunization, Coding: TJSONObject;
begin
  Coding := TJSONObject.Create(['system', 'https://smt.esante.gouv.fr/terminologie-bdpm', 'code', UTF8Encode(Cis),
    'display', UTF8Encode(Display)]);
  Immunization := TJSONObject.Create(['resourceType', 'Immunization']);
  try
    Immunization.Add('identifier', TJSONArray.Create([TJSONObject.Create(['value', UTF8Encode(HostId)])]));
    Immunization.Add('vaccineCode', TJSONObject.Create(['coding', TJSONArray.Create([Coding])]));
    Immunization.Add('occurrenceDateTime', '2025-10-20');
    Immunization.Add('lotNumber', 'A1234');
    Result := UTF8Decode(Immunization.AsJSON);
  finally
    Immunization.Free;
  end;
end;

function Text(Data: TJSONData; const Path: string): string;
var
  Found: TJSONData;
begin
  Found := Data.FindPath(UTF8Encode(Path));
  if Found = nil then
    Result := ''
  else
    Result := UTF8Decode(Found.AsString);
end;

function Count(Data: TJSONData; const Path: string): Integer;
var
  Found: TJSONData;
begin
  Found := Data.FindPath(UTF8Encode(Path));
  if Found = nil then
    Result := -1
  else
    Result := Found.Count;
end;

procedure Walk;
var
  Options: TCarnetOptions;
  Client: TCarnetClient;
  Certificate, Created, Found, Added, Report, Bundle, Recommendation, Outbox: TJSONData;
  Change: TCarnetChange;
  Cis: string;
  Handlers: TWalkHandlers;
begin
  Handlers := TWalkHandlers.Create;
  Options := CarnetDefaultOptions;
  Options.LogLevel := llDebug;
  Options.OnLog := Handlers.OnLog;
  Options.StoreDirectory := ParamStr(1);
  Options.ServiceUrl := ParamStr(2);
  Options.EnrollmentUrl := ParamStr(3);
  Options.CaBundlePath := ParamStr(4);
  Options.AccountEmail := ParamStr(5);
  Options.IdentitySecret := ParamStr(6);
  Client := TCarnetClient.Create(Options);
  try
    WriteLn('version ', CarnetVersion);

    Certificate := Parse(Client.CertificateEnroll(ParamStr(7)));
    WriteLn('enroll common_name=', Text(Certificate, 'common_name'), ' days_left=',
      Certificate.FindPath('days_left').AsInteger);
    Certificate.Free;

    try
      Client.LinkGet(PatientId);
      WriteLn('link_get found');
    except
      on E: ECarnetError do
        if E.Status = csNotFound then
          WriteLn('link_get not_found')
        else
          raise;
    end;

    try
      Client.RecordCreate(PatientId, PatientJson(False));
      WriteLn('invalid none');
    except
      on E: ECarnetError do
        WriteLn('invalid field=', E.Field, ' status=', E.StatusName, ' message=', E.Message);
    end;

    Created := Parse(Client.RecordCreate(PatientId, PatientJson(True)));
    WriteLn('create family=', Text(Created, 'name[0].family'), ' given=', Text(Created, 'name[0].given[0]'));
    if Client.LinkGet(PatientId) = Text(Created, 'id') then
      WriteLn('linked yes')
    else
      WriteLn('linked no');
    Created.Free;

    Found := Parse(Client.VaccinesSearch('agrippal'));
    Cis := Text(Found, 'expansion.contains[0].code');
    WriteLn('search cis=', Cis);
    Change := Client.VaccinationAdd(PatientId, ImmunizationJson(ParamStr(8), Cis,
      Text(Found, 'expansion.contains[0].display')));
    Found.Free;
    Added := Parse(Change.StateJson);
    WriteLn('add state=', Text(Added, 'state'));
    Added.Free;

    Report := Parse(Client.Sync);
    WriteLn('sync pushed=', Report.FindPath('pushed').AsInteger, ' added=', Count(Report, 'added'), ' pending=',
      Count(Report, 'pending'));
    Report.Free;

    Bundle := Parse(Client.VaccinationsList(PatientId));
    WriteLn('list entries=', Count(Bundle, 'entry'), ' host_id=', Text(Bundle, 'entry[0].extension[0].valueString'));
    Bundle.Free;

    Recommendation := Parse(Client.RecommendationsGet(PatientId));
    WriteLn('recommendations count=', Count(Recommendation, 'recommendation'));
    Recommendation.Free;

    Outbox := Parse(Client.OutboxStatus);
    WriteLn('outbox pending=', Count(Outbox, 'pending'));
    Outbox.Free;
    Client.SyncStart(100, Handlers.OnEvent);
    Client.SyncStop;
    if Handlers.LogLines > 0 then
      WriteLn('background log=yes')
    else
      WriteLn('background log=no');
    WriteLn('layout error=', SizeOf(TCarnetErrorRecord), ' options=', SizeOf(TCarnetOptionsRecord));
    WriteLn('done');
  finally
    Client.Free;
    Handlers.Free;
  end;
end;

begin
  if ParamCount <> 8 then
  begin
    WriteLn(ErrOutput, 'usage: carnet-walk-pascal STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET ',
      'WITHDRAWAL_CODE HOST_ID');
    Halt(2);
  end;
  try
    Walk;
  except
    on E: ECarnetError do
    begin
      WriteLn('failure status=', E.StatusName, ' field=', E.Field, ' message=', E.Message);
      Halt(1);
    end;
    on E: Exception do
    begin
      WriteLn('failure ', E.Message);
      Halt(1);
    end;
  end;
end.
