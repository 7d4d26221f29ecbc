// The binding walk in C# (Carnet.cs): the guide's main flow against a real service, printing
// the lines bindings/run_walks.py checks (bindings/README.md, "The walk").
//
//   mono carnet-walk-dotnet.exe STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET WITHDRAWAL_CODE HOST_ID
//
// JSON with JavaScriptSerializer (System.Web.Extensions, in Mono and .NET Framework); a .NET 6+
// host uses System.Text.Json the same way.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Web.Script.Serialization;
using Carnet;

static class CarnetWalk
{
    const string PatientId = "P-WALK-1";
    static int logLines;
    static readonly JavaScriptSerializer Json = new JavaScriptSerializer { MaxJsonLength = 16 * 1024 * 1024 };

    static Dictionary<string, object> Parse(string json) { return (Dictionary<string, object>)Json.DeserializeObject(json); }

    static object At(object node, params object[] path)
    {
        foreach (var step in path)
        {
            if (node == null) return null;
            if (step is string)
            {
                var map = node as Dictionary<string, object>;
                object next;
                node = map != null && map.TryGetValue((string)step, out next) ? next : null;
            }
            else
            {
                var list = node as object[];
                int index = (int)step;
                node = list != null && index < list.Length ? list[index] : null;
            }
        }
        return node;
    }

    static int Count(object node, string key) { var list = At(node, key) as object[]; return list == null ? -1 : list.Length; }

    // The patient of the walk: a family name with an apostrophe and quotes, an accented given name.
    static string Patient(bool withBirthDate)
    {
        var patient = new Dictionary<string, object>
        {
            { "resourceType", "Patient" },
            { "name", new object[] { new Dictionary<string, object> { { "family", "D'Arc \"la Pucelle\"" }, { "given", new object[] { "Hélène" } } } } },
            { "gender", "female" },
            { "telecom", new object[] { new Dictionary<string, object> { { "system", "email" }, { "value", "helene.darc@example.org" } } } },
        };
        if (withBirthDate) patient["birthDate"] = "1950-04-02";
        return Json.Serialize(patient);
    }

    static string Immunization(string hostId, string cis, string display)
    {
        return Json.Serialize(new Dictionary<string, object>
        {
            { "resourceType", "Immunization" },
            { "identifier", new object[] { new Dictionary<string, object> { { "value", hostId } } } },
            { "vaccineCode", new Dictionary<string, object> { { "coding", new object[] { new Dictionary<string, object> {
                { "system", "https://smt.esante.gouv.fr/terminologie-bdpm" }, { "code", cis }, { "display", display } } } } } },
            { "occurrenceDateTime", "2025-10-20" },
            { "lotNumber", "A1234" },
        });
    }

    static void Walk(string[] args)
    {
        var options = new Options
        {
            StoreDirectory = args[0], ServiceUrl = args[1], EnrollmentUrl = args[2], CaBundlePath = args[3],
            AccountEmail = args[4], IdentitySecret = args[5],
            LogLevel = LogLevel.Debug, Log = (level, line) => System.Threading.Interlocked.Increment(ref logLines),
        };
        using (var client = new Client(options))
        {
            Console.WriteLine("version " + Client.Version);

            var certificate = Parse(client.CertificateEnroll(args[6]));
            Console.WriteLine("enroll common_name=" + At(certificate, "common_name") + " days_left=" + At(certificate, "days_left"));

            try
            {
                client.LinkGet(PatientId);
                Console.WriteLine("link_get found");
            }
            catch (CarnetException e) when (e.Status == Status.NotFound)
            {
                Console.WriteLine("link_get not_found");
            }

            try
            {
                client.RecordCreate(PatientId, Patient(false));
                Console.WriteLine("invalid none");
            }
            catch (CarnetException e)
            {
                Console.WriteLine("invalid field=" + e.Field + " status=" + e.StatusName + " message=" + e.Message);
            }

            var created = Parse(client.RecordCreate(PatientId, Patient(true)));
            Console.WriteLine("create family=" + At(created, "name", 0, "family") + " given=" + At(created, "name", 0, "given", 0));
            Console.WriteLine("linked " + (client.LinkGet(PatientId) == (string)At(created, "id") ? "yes" : "no"));

            var found = Parse(client.VaccinesSearch("agrippal"));
            var cis = (string)At(found, "expansion", "contains", 0, "code");
            Console.WriteLine("search cis=" + cis);
            var change = client.VaccinationAdd(PatientId, Immunization(args[7], cis, (string)At(found, "expansion", "contains", 0, "display")));
            Console.WriteLine("add state=" + At(Parse(change.StateJson), "state"));

            var report = Parse(client.Sync());
            Console.WriteLine("sync pushed=" + At(report, "pushed") + " added=" + Count(report, "added") + " pending=" + Count(report, "pending"));

            var bundle = Parse(client.VaccinationsList(PatientId));
            Console.WriteLine("list entries=" + Count(bundle, "entry") + " host_id=" + At(bundle, "entry", 0, "extension", 0, "valueString"));

            Console.WriteLine("recommendations count=" + Count(Parse(client.RecommendationsGet(PatientId)), "recommendation"));
            Console.WriteLine("outbox pending=" + Count(Parse(client.OutboxStatus()), "pending"));
            client.SyncStart(100, (kind, detail) => { });
            client.SyncStop();
            Console.WriteLine("background log=" + (logLines > 0 ? "yes" : "no"));
            Console.WriteLine("layout error=" + Marshal.SizeOf(typeof(Native.Error)) + " options=" + Marshal.SizeOf(typeof(Native.Options)));
            Console.WriteLine("done");
        }
    }

    static int Main(string[] args)
    {
        if (args.Length != 8)
        {
            Console.Error.WriteLine("usage: carnet-walk-dotnet.exe STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET WITHDRAWAL_CODE HOST_ID");
            return 2;
        }
        Console.OutputEncoding = new System.Text.UTF8Encoding(false);
        try
        {
            Walk(args);
            return 0;
        }
        catch (CarnetException e)
        {
            Console.WriteLine("failure status=" + e.StatusName + " field=" + e.Field + " message=" + e.Message);
        }
        catch (Exception e)
        {
            Console.WriteLine("failure " + e.Message);
        }
        return 1;
    }
}
