{ Cross-compiled for Win64 by `make bindings-windows-check` (Free Pascal -Twin64, an RTL built
  from the fpc-source package): the unit's Windows branch (carnet.dll, cdecl) compiles and the
  program imports every function from carnet.dll by its .def name. Never run here (no Windows); on Windows it opens a
  client on the store directory given and prints the catalogue's size. }
program CarnetWindowsCheck;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$MODESWITCH UNICODESTRINGS}
{$ENDIF}
{$APPTYPE CONSOLE}

uses
  SysUtils, Carnet;

var
  Options: TCarnetOptions;
  Client: TCarnetClient;
begin
  WriteLn('Carnet unit for ', CarnetLibrary, ', header ', CARNET_HEADER_VERSION_STRING);
  if ParamCount < 1 then
    Exit;
  Options := CarnetDefaultOptions;
  Options.StoreDirectory := ParamStr(1);
  try
    Client := TCarnetClient.Create(Options);
    try
      WriteLn('catalogue ', Length(Client.CatalogueInfo), ' characters');
      if ParamCount > 99 then  { never: makes the program import every function of the DLL }
      begin
        Client.LinkSet(Client.LinkGet('p'), 'c');
        Client.LinkRemove('p');
        Client.CertificateEnroll('c');
        Client.CertificateImportP12('f', 'p');
        Client.CertificateInfo;
        Client.CertificateRenew;
        Client.VaccinationsAdd('p', '[]');
        Client.RecommendationsGetWithContext('p', '');
        Client.VaccinationDmpNote('p', 'v', '{}');
        Client.RecordCreate('p', '{}');
        Client.ShareCodeLookup('c');
        Client.RecordClaim('p', 'c', 'i', 'd');
        Client.ShareCodeResend('p');
        Client.VaccinationsList('p');
        Client.VaccinationsAccept('p', '{}');
        Client.VaccinationAdd('p', '{}');
        Client.VaccinationUpdate('p', '{}');
        Client.VaccinationRemove('p', 'v');
        Client.Sync;
        Client.OutboxStatus;
        Client.SyncStart(1000, nil);
        Client.SyncStop;
        Client.RecommendationsGet('p');
        Client.VaccinesSearch('q');
        Client.CatalogueImport('d');
        Client.VaccineScan('s');
        Client.Cancel;
        WriteLn(carnet_version_number, CarnetVersion);
      end;
    finally
      Client.Free;
    end;
  except
    on E: ECarnetError do
      WriteLn(E.StatusName, ': ', E.Message);
  end;
end.
