// The namespaces most files of this project use, imported once (issue 18: the same using block stood at the top of most files).
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using Supervision.Domain.Kernel;
global using Supervision.Domain.Organization;
