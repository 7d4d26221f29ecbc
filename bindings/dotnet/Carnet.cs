// Carnet for .NET: P/Invoke binding of include/carnet.h.
//
// Two layers, both public:
// - Carnet.Native: the C functions one to one (Cdecl: CARNET_CALL is __cdecl on Windows and the
//   platform's C convention elsewhere), the exact struct layouts;
// - Carnet.Client: owns the handle through a SafeHandle (IDisposable: `using`), takes and returns
//   .NET strings (UTF-8 at the boundary), raises CarnetException carrying the status, domain,
//   code, field and the doctor's French message.
//
// Platform-neutral C# 7 (no unsafe code): the same source targets Windows (carnet.dll, x86 or
// x64) and Linux (libcarnet.so.1), .NET Framework 4.x, .NET 6+ and Mono. JSON documents stay
// text: use System.Text.Json or the host's JSON library. docs/integration.md, "C# / .NET".
using System;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Carnet
{
    /// <summary>carnet_status. Explicit, append-only values; a newer library may return others.</summary>
    public enum Status
    {
        Ok = 0, Pending = 1, InvalidArgument = 2, NotFound = 3, Storage = 4, Network = 5, Tls = 6, Http = 7,
        Credentials = 8, AccessDenied = 9, Locked = 10, Conflict = 11, Cancelled = 12, Timeout = 13,
        UnsupportedVersion = 14, OutOfMemory = 15, Protocol = 16, CertificateExpired = 17, Internal = 18,
        WithdrawalCode = 19, Pkcs12Password = 20, Pkcs12Unsupported = 21, IdentitySecret = 22,
        NoCertificate = 23, Rejected = 24,
    }

    /// <summary>carnet_error_domain: where a failure comes from, to read its Code.</summary>
    public enum ErrorDomain { None = 0, Validation = 1, Storage = 2, Network = 3, Tls = 4, Http = 5, Credentials = 6, Internal = 7 }

    /// <summary>carnet_locale</summary>
    public enum Locale { French = 0, English = 1 }

    /// <summary>carnet_log_level</summary>
    public enum LogLevel { Off = 0, Error = 1, Warning = 2, Info = 3, Debug = 4 }

    /// <summary>carnet_event_kind</summary>
    public enum EventKind { Pushed = 1, Changes = 2, Failure = 3, AccessRevoked = 4, CertificateExpiring = 5 }

    /// <summary>A failing status. Message is the sentence for the doctor (French by default, never patient data).</summary>
    public class CarnetException : Exception
    {
        public CarnetException(int statusCode, ErrorDomain domain, int code, string message, string field)
            : base(message)
        {
            StatusCode = statusCode;
            Domain = domain;
            Code = code;
            Field = field;
        }

        /// <summary>The status (check StatusCode too when this binding may be older than the library).</summary>
        public Status Status { get { return (Status)StatusCode; } }
        public int StatusCode { get; private set; }
        /// <summary>For logs: "CARNET_E_NETWORK".</summary>
        public string StatusName { get { return Native.Text(Native.carnet_status_string(StatusCode)); } }
        public ErrorDomain Domain { get; private set; }
        /// <summary>The domain's number (SQLite result, CURLcode, HTTP status); 0 when none.</summary>
        public int Code { get; private set; }
        /// <summary>The input at fault ("birthDate", "patient_id"): focus it in the form. Empty when none.</summary>
        public string Field { get; private set; }
    }

    /// <summary>The handle of an open client; closing it is carnet_client_close.</summary>
    public sealed class ClientHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public ClientHandle() : base(true) { }

        // The delegates the library may call until the handle is closed. Held here, not only by
        // the Client: a client the host forgot to dispose is closed by this handle's finalizer, and
        // what a finalizable object references stays alive until its finalizer has run.
        internal Native.LogCallback LogCallback;
        internal Native.EventCallback EventCallback;

        protected override bool ReleaseHandle()
        {
            Native.carnet_client_close(handle);
            return true;
        }
    }

    /// <summary>The C layer: carnet.h one to one.</summary>
    public static class Native
    {
        /// <summary>carnet.dll on Windows, libcarnet.so (the .so.1 SONAME) on Linux.</summary>
        public const string Library = "carnet";
        public const int ErrorMessageSize = 512;
        public const int ErrorFieldSize = 64;
        public const uint OptionsVersion = 3;
        public const string HeaderVersion = "0.2.0";

        /// <summary>carnet_error, caller-allocated: New() sets StructSize.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Error
        {
            public uint StructSize;
            public int Status;
            public int Domain;
            public int Code;
            [MarshalAs(UnmanagedType.ByValArray, SizeConst = ErrorMessageSize)] public byte[] Message;
            [MarshalAs(UnmanagedType.ByValArray, SizeConst = ErrorFieldSize)] public byte[] Field;

            public static Error New()
            {
                var error = new Error { Message = new byte[ErrorMessageSize], Field = new byte[ErrorFieldSize] };
                error.StructSize = (uint)Marshal.SizeOf(typeof(Error));
                return error;
            }
        }

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void LogCallback(IntPtr payload, int level, IntPtr message);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void EventCallback(IntPtr payload, int kind, IntPtr detailJson);

        /// <summary>carnet_options, version 3; strings are UTF-8 pointers the caller keeps alive during open.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Options
        {
            public uint Version;
            public IntPtr ServiceUrl;
            public IntPtr EnrollmentUrl;
            public IntPtr StoreDirectory;
            public IntPtr AccountEmail;
            public IntPtr AccountPassword;
            public IntPtr CaBundlePath;
            public IntPtr CrlPath;
            public IntPtr PinnedPublicKey;
            public IntPtr IdentitySecret;
            public uint ConnectTimeoutMs;
            public uint RequestTimeoutMs;
            public int Locale;
            public IntPtr LogCallback;
            public IntPtr LogPayload;
            public int LogLevel;
            public IntPtr PracticeId;
            public IntPtr TimeZone;
        }

        const CallingConvention Cdecl = CallingConvention.Cdecl;

        [DllImport(Library, CallingConvention = Cdecl)] public static extern IntPtr carnet_version_string();
        [DllImport(Library, CallingConvention = Cdecl)] public static extern uint carnet_version_number();
        [DllImport(Library, CallingConvention = Cdecl)] public static extern IntPtr carnet_status_string(int status);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_error_init(ref Error error, uint structSize);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_options_init(ref Options options, uint version);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_client_open(ref Options options, out ClientHandle client, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern void carnet_client_close(IntPtr client);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_client_cancel(ClientHandle client);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_link_get(ClientHandle client, byte[] patientId, out IntPtr outCarnetId, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_link_set(ClientHandle client, byte[] patientId, byte[] carnetId, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_link_remove(ClientHandle client, byte[] patientId, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_certificate_enroll(ClientHandle client, byte[] withdrawalCode, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_certificate_import_p12(ClientHandle client, byte[] path, byte[] password, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_certificate_info(ClientHandle client, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_certificate_renew(ClientHandle client, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_record_create(ClientHandle client, byte[] patientId, byte[] patientJson, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_share_code_lookup(ClientHandle client, byte[] shareCode, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_record_claim(ClientHandle client, byte[] patientId, byte[] shareCode, byte[] candidateId, byte[] birthDate, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_share_code_resend(ClientHandle client, byte[] patientId, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccinations_list(ClientHandle client, byte[] patientId, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccinations_accept(ClientHandle client, byte[] patientId, byte[] mappingJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccination_add(ClientHandle client, byte[] patientId, byte[] immunizationJson, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccination_update(ClientHandle client, byte[] patientId, byte[] immunizationJson, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccinations_add(ClientHandle client, byte[] patientId, byte[] immunizationsJson, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccination_remove(ClientHandle client, byte[] patientId, byte[] hostVaccinationId, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_sync(ClientHandle client, byte[] patientId, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_outbox_status(ClientHandle client, byte[] patientId, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_sync_start(ClientHandle client, uint intervalMs, EventCallback callback, IntPtr payload, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_sync_stop(ClientHandle client);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_recommendations_get(ClientHandle client, byte[] patientId, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_recommendations_get_with_context(ClientHandle client, byte[] patientId, byte[] contextJson, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccination_dmp_note(ClientHandle client, byte[] patientId, byte[] hostVaccinationId, byte[] hostContextJson, out IntPtr outXml, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccines_search(ClientHandle client, byte[] query, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_catalogue_info(ClientHandle client, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_catalogue_import(ClientHandle client, byte[] directory, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern int carnet_vaccine_scan(ClientHandle client, byte[] scanned, out IntPtr outJson, ref Error error);
        [DllImport(Library, CallingConvention = Cdecl)] public static extern void carnet_string_free(IntPtr text);

        /// <summary>UTF-8 bytes with the terminating NUL (null stays null: the C NULL).</summary>
        public static byte[] Utf8(string value, string name)
        {
            if (value == null) return null;
            if (value.IndexOf('\0') >= 0)
                throw new CarnetException((int)Status.InvalidArgument, ErrorDomain.Validation, 0,
                    "L'argument « " + name + " » contient un caractère nul.", name);
            var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
            Encoding.UTF8.GetBytes(value, 0, value.Length, bytes, 0);
            return bytes;
        }

        /// <summary>A NUL-terminated UTF-8 C string as a .NET string (does not free it).</summary>
        public static string Text(IntPtr text)
        {
            if (text == IntPtr.Zero) return null;
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) length++;
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A NUL-terminated UTF-8 buffer (an error's message or field).</summary>
        public static string Text(byte[] buffer)
        {
            int length = Array.IndexOf(buffer, (byte)0);
            return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
        }

        /// <summary>Copies a string the library returned, then frees it with carnet_string_free.</summary>
        public static string Take(IntPtr text)
        {
            try { return Text(text); }
            finally { carnet_string_free(text); }
        }
    }

    /// <summary>What an add, update or remove did: Ok or Pending, and the state document (JSON).</summary>
    public struct Change
    {
        public Status Status;
        public string StateJson;
        /// <summary>Why it is pending ("sera envoyé dès que possible"); null when delivered.</summary>
        public string PendingReason;
        public bool IsPending { get { return Status == Status.Pending; } }
    }

    /// <summary>What VaccinationsAdd did: the call's status and the per-item results (docs/schemas/batch-results.schema.json).</summary>
    public struct Batch
    {
        public Status Status;
        public string ResultsJson;
    }

    /// <summary>How to open a client (carnet_options); null means "not set".</summary>
    public sealed class Options
    {
        public string ServiceUrl, EnrollmentUrl, StoreDirectory, AccountEmail, AccountPassword, CaBundlePath,
            CrlPath, PinnedPublicKey, IdentitySecret, PracticeId;
        /// <summary>"Europe/Paris" when null (options version 3; carnet.h lists the accepted zones).</summary>
        public string TimeZone;
        public uint ConnectTimeoutMs, RequestTimeoutMs;
        public Locale Locale = Locale.French;
        public LogLevel LogLevel = LogLevel.Warning;
        /// <summary>Receives log lines (English, no patient data) from any thread.</summary>
        public Action<LogLevel, string> Log;
    }

    /// <summary>An open client: the local store and the service. Thread-safe; dispose it to close.</summary>
    public sealed class Client : IDisposable
    {
        readonly ClientHandle handle;
        readonly Action<LogLevel, string> log;
        Action<EventKind, string> onEvent;

        /// <summary>Opens the store (carnet_client_open); throws CarnetException when the options are refused.</summary>
        public Client(Options options)
        {
            if (options == null) throw new ArgumentNullException("options");
            var raw = new Native.Options();
            int status = Native.carnet_options_init(ref raw, Native.OptionsVersion);
            if (status != (int)Status.Ok)
                throw new CarnetException(status, ErrorDomain.Validation, 0,
                    "La bibliothèque Carnet est plus ancienne que cette liaison.", "version");
            var pinned = new System.Collections.Generic.List<GCHandle>();
            try
            {
                raw.ServiceUrl = Pin(pinned, options.ServiceUrl, "service_url");
                raw.EnrollmentUrl = Pin(pinned, options.EnrollmentUrl, "enrollment_url");
                raw.StoreDirectory = Pin(pinned, options.StoreDirectory, "store_directory");
                raw.AccountEmail = Pin(pinned, options.AccountEmail, "account_email");
                raw.AccountPassword = Pin(pinned, options.AccountPassword, "account_password");
                raw.CaBundlePath = Pin(pinned, options.CaBundlePath, "ca_bundle_path");
                raw.CrlPath = Pin(pinned, options.CrlPath, "crl_path");
                raw.PinnedPublicKey = Pin(pinned, options.PinnedPublicKey, "pinned_public_key");
                raw.IdentitySecret = Pin(pinned, options.IdentitySecret, "identity_secret");
                raw.PracticeId = Pin(pinned, options.PracticeId, "practice_id");
                raw.TimeZone = Pin(pinned, options.TimeZone, "time_zone");
                raw.ConnectTimeoutMs = options.ConnectTimeoutMs;
                raw.RequestTimeoutMs = options.RequestTimeoutMs;
                raw.Locale = (int)options.Locale;
                raw.LogLevel = (int)options.LogLevel;
                Native.LogCallback logCallback = null;
                if (options.Log != null)
                {
                    log = options.Log;
                    logCallback = OnLog;
                    raw.LogCallback = Marshal.GetFunctionPointerForDelegate(logCallback);
                }
                var error = Native.Error.New();
                status = Native.carnet_client_open(ref raw, out handle, ref error);
                GC.KeepAlive(logCallback);
                Check(status, error);
                handle.LogCallback = logCallback;
            }
            finally
            {
                foreach (var pin in pinned) pin.Free();  // the library copied the strings
            }
        }

        static IntPtr Pin(System.Collections.Generic.List<GCHandle> pinned, string value, string name)
        {
            byte[] bytes = Native.Utf8(value, name);
            if (bytes == null) return IntPtr.Zero;
            var pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            pinned.Add(pin);
            return pin.AddrOfPinnedObject();
        }

        void OnLog(IntPtr payload, int level, IntPtr message)
        {
            try { log((LogLevel)level, Native.Text(message)); }
            catch (Exception) { /* never unwind into the library */ }
        }

        void OnEvent(IntPtr payload, int kind, IntPtr detail)
        {
            try
            {
                var handler = onEvent;
                if (handler != null) handler((EventKind)kind, Native.Text(detail));
            }
            catch (Exception) { /* never unwind into the library */ }
        }

        static void Check(int status, Native.Error error)
        {
            if (status != (int)Status.Ok) throw Failure(status, error);
        }

        static CarnetException Failure(int status, Native.Error error)
        {
            string message = Native.Text(error.Message);
            if (message.Length == 0) message = Native.Text(Native.carnet_status_string(status));
            return new CarnetException(status, (ErrorDomain)error.Domain, error.Code, message, Native.Text(error.Field));
        }

        static string Out(int status, IntPtr text, Native.Error error)
        {
            string result = Native.Take(text);
            Check(status, error);
            return result;
        }

        static Change Changed(int status, IntPtr text, Native.Error error)
        {
            string state = Native.Take(text);
            if (status != (int)Status.Pending) Check(status, error);
            return new Change
            {
                Status = (Status)status, StateJson = state,
                PendingReason = status == (int)Status.Pending ? Native.Text(error.Message) : null,
            };
        }

        /// <summary>Closes the handle (stops the background sync first).</summary>
        public void Dispose() { if (handle != null) handle.Dispose(); }

        /// <summary>The handle, for a function this class does not cover yet.</summary>
        public ClientHandle Handle { get { return handle; } }

        /// <summary>Makes the operations running now fail with Status.Cancelled; never blocks.</summary>
        public void Cancel() { Native.carnet_client_cancel(handle); }

        public string LinkGet(string patientId)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_link_get(handle, Native.Utf8(patientId, "patient_id"), out o, ref e);
            return Out(s, o, e);
        }

        public void LinkSet(string patientId, string carnetId)
        {
            var e = Native.Error.New();
            Check(Native.carnet_link_set(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(carnetId, "carnet_id"), ref e), e);
        }

        public void LinkRemove(string patientId)
        {
            var e = Native.Error.New();
            Check(Native.carnet_link_remove(handle, Native.Utf8(patientId, "patient_id"), ref e), e);
        }

        public string CertificateEnroll(string withdrawalCode)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_certificate_enroll(handle, Native.Utf8(withdrawalCode, "withdrawal_code"), out o, ref e);
            return Out(s, o, e);
        }

        public string CertificateImportP12(string path, string password)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_certificate_import_p12(handle, Native.Utf8(path, "path"), Native.Utf8(password, "password"), out o, ref e);
            return Out(s, o, e);
        }

        public string CertificateInfo()
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_certificate_info(handle, out o, ref e);
            return Out(s, o, e);
        }

        /// <summary>« Renouveler le certificat »: a new key and certificate, without a withdrawal code.</summary>
        public string CertificateRenew()
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_certificate_renew(handle, out o, ref e);
            return Out(s, o, e);
        }

        public string RecordCreate(string patientId, string patientJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_record_create(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(patientJson, "patient_json"), out o, ref e);
            return Out(s, o, e);
        }

        public string ShareCodeLookup(string shareCode)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_share_code_lookup(handle, Native.Utf8(shareCode, "share_code"), out o, ref e);
            return Out(s, o, e);
        }

        public string RecordClaim(string patientId, string shareCode, string candidateId, string birthDate)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_record_claim(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(shareCode, "share_code"),
                Native.Utf8(candidateId, "candidate_id"), Native.Utf8(birthDate, "birth_date"), out o, ref e);
            return Out(s, o, e);
        }

        public void ShareCodeResend(string patientId)
        {
            var e = Native.Error.New();
            Check(Native.carnet_share_code_resend(handle, Native.Utf8(patientId, "patient_id"), ref e), e);
        }

        public string VaccinationsList(string patientId)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccinations_list(handle, Native.Utf8(patientId, "patient_id"), out o, ref e);
            return Out(s, o, e);
        }

        public void VaccinationsAccept(string patientId, string mappingJson)
        {
            var e = Native.Error.New();
            Check(Native.carnet_vaccinations_accept(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(mappingJson, "mapping_json"), ref e), e);
        }

        public Change VaccinationAdd(string patientId, string immunizationJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccination_add(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(immunizationJson, "immunization_json"), out o, ref e);
            return Changed(s, o, e);
        }

        public Change VaccinationUpdate(string patientId, string immunizationJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccination_update(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(immunizationJson, "immunization_json"), out o, ref e);
            return Changed(s, o, e);
        }

        /// <summary>Many vaccinations at once (a JSON array or Bundle); throws only when the whole call fails.</summary>
        public Batch VaccinationsAdd(string patientId, string immunizationsJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccinations_add(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(immunizationsJson, "immunizations_json"), out o, ref e);
            string results = Native.Take(o);
            if (results == null && s != (int)Status.Ok && s != (int)Status.Pending) throw Failure(s, e);
            return new Batch { Status = (Status)s, ResultsJson = results };
        }

        public Change VaccinationRemove(string patientId, string hostVaccinationId)
        {
            var e = Native.Error.New();
            int s = Native.carnet_vaccination_remove(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(hostVaccinationId, "host_vaccination_id"), ref e);
            return Changed(s, IntPtr.Zero, e);
        }

        /// <summary>The sync report; patientId null for every linked patient.</summary>
        public string Sync(string patientId = null)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_sync(handle, Native.Utf8(patientId, "patient_id"), out o, ref e);
            return Out(s, o, e);
        }

        public string OutboxStatus(string patientId = null)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_outbox_status(handle, Native.Utf8(patientId, "patient_id"), out o, ref e);
            return Out(s, o, e);
        }

        /// <summary>Starts the background sync; the handler (may be null) runs on the library's thread.</summary>
        public void SyncStart(uint intervalMs, Action<EventKind, string> handler)
        {
            Native.carnet_sync_stop(handle);  // the previous handler must not run once replaced
            onEvent = handler;
            handle.EventCallback = OnEvent;
            var e = Native.Error.New();
            Check(Native.carnet_sync_start(handle, intervalMs, handle.EventCallback, IntPtr.Zero, ref e), e);
        }

        public void SyncStop() { Native.carnet_sync_stop(handle); }

        public string RecommendationsGet(string patientId)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_recommendations_get(handle, Native.Utf8(patientId, "patient_id"), out o, ref e);
            return Out(s, o, e);
        }

        /// <summary>contextJson null: the general population, today.</summary>
        public string RecommendationsGetWithContext(string patientId, string contextJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_recommendations_get_with_context(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(contextJson, "context_json"), out o, ref e);
            return Out(s, o, e);
        }

        /// <summary>The VAC-NOTE CDA document (XML) of a vaccination the host recorded.</summary>
        public string VaccinationDmpNote(string patientId, string hostVaccinationId, string hostContextJson)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccination_dmp_note(handle, Native.Utf8(patientId, "patient_id"), Native.Utf8(hostVaccinationId, "host_vaccination_id"), Native.Utf8(hostContextJson, "host_context_json"), out o, ref e);
            return Out(s, o, e);
        }

        public string VaccinesSearch(string query)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccines_search(handle, Native.Utf8(query, "query"), out o, ref e);
            return Out(s, o, e);
        }

        public string CatalogueInfo()
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_catalogue_info(handle, out o, ref e);
            return Out(s, o, e);
        }

        public string CatalogueImport(string directory)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_catalogue_import(handle, Native.Utf8(directory, "directory"), out o, ref e);
            return Out(s, o, e);
        }

        public string VaccineScan(string scanned)
        {
            var e = Native.Error.New(); IntPtr o;
            int s = Native.carnet_vaccine_scan(handle, Native.Utf8(scanned, "scanned"), out o, ref e);
            return Out(s, o, e);
        }

        /// <summary>The library's version at run time ("0.2.0"); compare with Native.HeaderVersion.</summary>
        public static string Version { get { return Native.Text(Native.carnet_version_string()); } }
    }
}
