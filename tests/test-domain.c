/* test-domain.c: libvirt domain XML in and out, and what is refused
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>

#include "hangar-domain.h"
#include "hangar-error.h"

#define MINIMAL \
  "<domain type='kvm'>\n" \
  "  <name>minimal</name>\n" \
  "  <memory>131072</memory>\n" \
  "  <os><type>hvm</type></os>\n" \
  "</domain>\n"

static HangarDomain *
parse_ok (const char *xml)
{
  g_autoptr(GError) error = NULL;
  HangarDomain *domain = hangar_domain_parse (xml, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (domain);
  return domain;
}

static void
parse_fails (const char  *xml,
             HangarError  code,
             const char  *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) domain = hangar_domain_parse (xml, -1, &error);

  g_assert_null (domain);
  g_assert_error (error, HANGAR_ERROR, (gint) code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” is not in “%s”", message_part, error->message);
}

/* Replaces the first @from in MINIMAL by @to. */
static char *
minimal_with (const char *from,
              const char *to)
{
  const char *at = strstr (MINIMAL, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - MINIMAL), MINIMAL, to, at + strlen (from));
}

static char *
with_devices (const char *devices)
{
  g_autofree char *inner = g_strdup_printf ("<devices>%s</devices></domain>", devices);

  return minimal_with ("</domain>", inner);
}

static void
test_defaults (void)
{
  g_autoptr(HangarDomain) domain = parse_ok (MINIMAL);
  const HangarDomainDef *def = hangar_domain_get_def (domain);
  g_autofree char *xml = hangar_domain_to_xml (domain);
  const char *name_at, *uuid_at;

  g_assert_cmpstr (def->name, ==, "minimal");
  g_assert_true (g_uuid_string_is_valid (def->uuid));
  g_assert_cmpuint (def->memory_kib, ==, 131072);
  g_assert_cmpuint (def->current_memory_kib, ==, 131072);
  g_assert_cmpuint (def->vcpus, ==, 1);
  g_assert_cmpstr (def->arch, ==, "x86_64");
  g_assert_cmpstr (def->machine, ==, "pc");
  g_assert_cmpstr (def->clock_offset, ==, "utc");
  g_assert_cmpstr (def->on_poweroff, ==, "destroy");
  g_assert_cmpstr (def->on_reboot, ==, "restart");
  g_assert_cmpstr (def->on_crash, ==, "destroy");
  g_assert_false (def->acpi);
  g_assert_null (def->cpu_mode);
  g_assert_null (def->usb_model);

  /* The generated UUID is written into the document, right after <name>. */
  name_at = strstr (xml, "<name>");
  uuid_at = strstr (xml, def->uuid);
  g_assert_nonnull (uuid_at);
  g_assert_true (uuid_at > name_at && uuid_at < strstr (xml, "<memory"));
}

static void
test_memory_units (void)
{
  const struct { const char *element; guint64 kib; } cases[] = {
    { "<memory unit='KiB'>2048</memory>", 2048 },
    { "<memory unit='k'>2048</memory>", 2048 },
    { "<memory unit='MiB'>512</memory>", 512 * 1024 },
    { "<memory unit='M'>512</memory>", 512 * 1024 },
    { "<memory unit='GiB'>2</memory>", 2 * 1024 * 1024 },
    { "<memory unit='G'>2</memory>", 2 * 1024 * 1024 },
    { "<memory unit='MB'>1000</memory>", 976563 },
    { "<memory unit='b'>1048576</memory>", 1024 },
    { "<memory unit='bytes'>1048577</memory>", 1025 },
    { "<memory unit='TiB'>1</memory>", G_GUINT64_CONSTANT (1) << 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = minimal_with ("<memory>131072</memory>", cases[i].element);
      g_autoptr(HangarDomain) domain = parse_ok (xml);

      g_assert_cmpuint (hangar_domain_get_def (domain)->memory_kib, ==, cases[i].kib);
    }
}

static void
test_bad_memory (void)
{
  const struct { const char *element; const char *part; } cases[] = {
    { "<memory>0</memory>", "at least 1 MiB" },
    { "<memory unit='b'>1000</memory>", "at least 1 MiB" },
    { "<memory unit='TiB'>10</memory>", "1 TiB" },
    { "<memory unit='EiB'>1</memory>", "EiB" },
    { "<memory>-5</memory>", "whole number" },
    { "<memory>12x</memory>", "whole number" },
    { "<memory>99999999999999999999999</memory>", "whole number" },
    { "<memory unit='MiB'>128</memory><currentMemory unit='MiB'>256</currentMemory>",
      "currentMemory" },
    { "<vcpu>1</vcpu>", "needs a <memory>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = minimal_with ("<memory>131072</memory>", cases[i].element);
      parse_fails (xml, HANGAR_ERROR_INVALID_CONFIG, cases[i].part);
    }
}

static void
test_host_memory (void)
{
  g_autofree char *xml = minimal_with ("<memory>131072</memory>", "<memory unit='GiB'>64</memory>");
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_domain_check_host (domain, G_GUINT64_CONSTANT (128) << 20, &error));
  g_assert_false (hangar_domain_check_host (domain, G_GUINT64_CONSTANT (24) << 20, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "64.0\u00a0GiB"));
}

/* Bytes that are not UTF-8 (a file read from disk, say) are refused by the parser. */
static void
test_invalid_utf8 (void)
{
  parse_fails ("<domain type='kvm'><name>\xff\xfe</name><memory>131072</memory>"
               "<os><type>hvm</type></os></domain>", HANGAR_ERROR_INVALID_CONFIG, "malformed");
}

static void
test_names (void)
{
  const char *good[] = { "a,file=etc-passwd,if=floppy", "it's", "with \"quotes\"", "ünïcödé",
                         "x", "with space inside" };
  const char *bad[] = { "two\nlines", "tab\there", "", " leading", "trailing ", "bell\a",
                        "a/b", "a,file=/etc/passwd", "/" };
  g_autofree char *too_long = g_strnfill (4097, 'n');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (hangar_domain_name_is_valid (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (hangar_domain_name_is_valid (bad[i], &error));
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (hangar_domain_name_is_valid (too_long, &error));
    g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
    g_assert_false (hangar_domain_name_is_valid ("\xff\xfe", NULL));
  }
}

static void
test_malformed (void)
{
  parse_fails ("<domain type='kvm'>\n  <name>x</name>\n  <memory>1</memory\n</domain>",
               HANGAR_ERROR_INVALID_CONFIG, "line 4");
  parse_fails ("", HANGAR_ERROR_INVALID_CONFIG, NULL);
  parse_fails ("not xml at all", HANGAR_ERROR_INVALID_CONFIG, "line 1");
  parse_fails ("<network><name>n</name></network>", HANGAR_ERROR_INVALID_CONFIG, "<network>");
  parse_fails ("<domain type='xen'><name>x</name></domain>", HANGAR_ERROR_NOT_SUPPORTED, "xen");
  parse_fails ("<domain><name>x</name></domain>", HANGAR_ERROR_NOT_SUPPORTED, NULL);
}

/* An external entity must not pull a host file into a definition. */
static void
test_no_external_entities (void)
{
  const char *xml =
    "<!DOCTYPE domain [<!ENTITY secret SYSTEM 'file:///etc/hostname'>]>\n"
    "<domain type='kvm'><name>x&secret;</name><memory>131072</memory>"
    "<os><type>hvm</type></os></domain>";
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) domain = hangar_domain_parse (xml, -1, &error);
  g_autofree char *hostname = NULL;

  if (domain == NULL)
    return; /* refusing is fine too */
  g_file_get_contents ("/etc/hostname", &hostname, NULL, NULL);
  g_assert_cmpstr (hangar_domain_get_name (domain), ==, "x");
}

static void
test_round_trip_keeps_unknown (void)
{
  const char *xml =
    "<domain type='kvm' xmlns:h='urn:hangar-test'>\n"
    "  <name>keeper</name>\n"
    "  <uuid>6F1C0E47-3E6B-4E5C-9D3B-0D6D35C0C0DE</uuid>\n"
    "  <memory unit='MiB'>256</memory>\n"
    "  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>\n"
    "  <pm><suspend-to-mem enabled='no'/></pm>\n"
    "  <seclabel type='none'/>\n"
    "  <metadata><h:note>kept as is</h:note></metadata>\n"
    "  <devices>\n"
    "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
    "    <controller type='pci' model='pcie-root'/>\n"
    "    <interface type='user'><model type='virtio'/><link state='up'/></interface>\n"
    "    <console type='pty'><target type='serial' port='0'/></console>\n"
    "  </devices>\n"
    "</domain>\n";
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  g_autofree char *out = hangar_domain_to_xml (domain);
  g_autoptr(HangarDomain) again = parse_ok (out);
  g_autofree char *out_again = hangar_domain_to_xml (again);
  const HangarDomainDef *def = hangar_domain_get_def (domain);
  HangarNetDef *net;

  g_assert_cmpstr (def->uuid, ==, "6f1c0e47-3e6b-4e5c-9d3b-0d6d35c0c0de");
  g_assert_cmpstr (def->boot_order, ==, "c");
  g_assert_nonnull (strstr (out, "<suspend-to-mem enabled=\"no\"/>"));
  g_assert_nonnull (strstr (out, "<seclabel type=\"none\"/>"));
  g_assert_nonnull (strstr (out, "<h:note>kept as is</h:note>"));
  g_assert_nonnull (strstr (out, "<link state=\"up\"/>"));
  g_assert_nonnull (strstr (out, "model=\"pcie-root\""));
  /* A generated MAC is written back, so it stays the same at every start. */
  g_assert_cmpuint (def->nets->len, ==, 1);
  net = g_ptr_array_index (def->nets, 0);
  g_assert_true (g_str_has_prefix (net->mac, "52:54:00:"));
  g_assert_nonnull (strstr (out, net->mac));
  /* Stable: a second round trip changes nothing. */
  g_assert_cmpstr (out, ==, out_again);
}

static void
test_devices (void)
{
  g_autofree char *xml = with_devices (
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
    "<source file='/images/a.qcow2'/><target dev='vda' bus='virtio'/><boot order='1'/></disk>"
    "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
    "<interface type='user'><mac address='52:54:00:AB:CD:EF'/><model type='e1000'/></interface>"
    "<serial type='file'><source path='/var/log/x.log'/><target port='1'/></serial>"
    "<input type='tablet' bus='usb'/><controller type='usb' model='qemu-xhci'/>"
    "<graphics type='spice'/><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
    "<video><model type='qxl'/></video><sound model='ich9'/>"
    "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
    "<memballoon model='virtio'/>");
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  const HangarDomainDef *def = hangar_domain_get_def (domain);
  HangarDiskDef *disk = g_ptr_array_index (def->disks, 0);
  HangarDiskDef *cdrom = g_ptr_array_index (def->disks, 1);
  HangarSerialDef *serial = g_ptr_array_index (def->serials, 0);

  g_assert_cmpuint (def->disks->len, ==, 2);
  g_assert_cmpstr (disk->format, ==, "qcow2");
  g_assert_cmpstr (disk->cache, ==, "none");
  g_assert_cmpuint (disk->boot_order, ==, 1);
  g_assert_false (disk->readonly);
  g_assert_null (cdrom->source);
  g_assert_true (cdrom->readonly);
  g_assert_cmpstr (((HangarNetDef *) g_ptr_array_index (def->nets, 0))->mac, ==,
                   "52:54:00:ab:cd:ef");
  g_assert_cmpstr (serial->log_path, ==, "/var/log/x.log");
  g_assert_cmpuint (serial->port, ==, 1);
  g_assert_true (def->has_spice);
  g_assert_false (def->has_vnc);
  g_assert_cmpstr (def->video, ==, "qxl");
  g_assert_cmpstr (def->sound, ==, "ich9");
  g_assert_cmpstr (def->rng_backend, ==, "/dev/urandom");
  g_assert_cmpstr (def->usb_model, ==, "qemu-xhci");
  g_assert_true (def->balloon);
  g_assert_cmpuint (def->channels->len, ==, 1);
}

/* A host CD/DVD drive, as libvirt writes it: <source dev>, read only even unsaid. */
static void
test_host_drive (void)
{
  g_autofree char *xml = with_devices (
    "<disk type='block' device='cdrom'><driver name='qemu' type='raw'/>"
    "<source dev='/dev/sr0'/><target dev='sda' bus='sata'/></disk>"
    "<disk type='block' device='cdrom'><target dev='sdb' bus='sata'/></disk>");
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  const HangarDomainDef *def = hangar_domain_get_def (domain);
  HangarDiskDef *drive = g_ptr_array_index (def->disks, 0);
  HangarDiskDef *empty = g_ptr_array_index (def->disks, 1);

  g_assert_true (drive->block);
  g_assert_cmpstr (drive->source, ==, "/dev/sr0");
  g_assert_true (drive->readonly);
  g_assert_true (empty->block);
  g_assert_null (empty->source);
}

/* USB host devices as libvirt writes them (ids with or without 0x, or a place) and SPICE's
 * USB redirection channels. */
static void
test_usb_devices (void)
{
  g_autofree char *xml = with_devices (
    "<graphics type='spice'/>"
    "<hostdev mode='subsystem' type='usb' managed='no'><source><vendor id='0x1209'/>"
    "<product id='0x0001'/></source></hostdev>"
    "<hostdev mode='subsystem' type='usb'><source><vendor id='046D'/><product id='c52b'/>"
    "</source></hostdev>"
    "<hostdev mode='subsystem' type='usb'><source><address bus='1' device='004'/></source>"
    "</hostdev>"
    "<redirdev bus='usb' type='spicevmc'/><redirdev bus='usb' type='spicevmc'/>");
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  const HangarDomainDef *def = hangar_domain_get_def (domain);
  const HangarUsbHostdevDef *h;

  g_assert_nonnull (def->usb_hostdevs);
  g_assert_cmpuint (def->usb_hostdevs->len, ==, 3);
  h = &g_array_index (def->usb_hostdevs, HangarUsbHostdevDef, 0);
  g_assert_cmphex (h->vendor_id, ==, 0x1209);
  g_assert_cmphex (h->product_id, ==, 0x0001);
  g_assert_cmpuint (h->bus, ==, 0);
  h = &g_array_index (def->usb_hostdevs, HangarUsbHostdevDef, 1);
  g_assert_cmphex (h->vendor_id, ==, 0x046d);
  g_assert_cmphex (h->product_id, ==, 0xc52b);
  h = &g_array_index (def->usb_hostdevs, HangarUsbHostdevDef, 2);
  g_assert_cmpuint (h->bus, ==, 1);
  g_assert_cmpuint (h->device, ==, 4);
  g_assert_cmpuint (def->usb_redirdevs, ==, 2);
  /* No USB controller given: none in the definition, one in the command line. */
  g_assert_null (def->usb_model);
}

static void
test_bad_devices (void)
{
  const struct { const char *devices; HangarError code; const char *part; } cases[] = {
    { "<smartcard mode='passthrough' type='spicevmc'/>", HANGAR_ERROR_NOT_SUPPORTED,
      "<smartcard>" },
    { "<hostdev mode='subsystem' type='pci'/>", HANGAR_ERROR_NOT_SUPPORTED, "only USB" },
    { "<hostdev mode='subsystem' type='usb'/>", HANGAR_ERROR_INVALID_CONFIG, "<source>" },
    { "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1209'/></source></hostdev>",
      HANGAR_ERROR_INVALID_CONFIG, "<product" },
    { "<hostdev mode='subsystem' type='usb'><source><address bus='0' device='4'/></source>"
      "</hostdev>", HANGAR_ERROR_INVALID_CONFIG, "bus (1 to 255)" },
    { "<redirdev bus='usb' type='spicevmc'/>", HANGAR_ERROR_INVALID_CONFIG, "SPICE display" },
    { "<disk type='block' device='disk'><source dev='/dev/sda'/><target dev='vda'/></disk>",
      HANGAR_ERROR_NOT_SUPPORTED, "CD/DVD drives only" },
    { "<disk type='network' device='cdrom'><target dev='sda'/></disk>",
      HANGAR_ERROR_NOT_SUPPORTED, "type='network'" },
    { "<disk type='block' device='cdrom'><source dev='sr0'/><target dev='sda'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "absolute" },
    { "<disk type='file' device='disk'><target dev='vda'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "source" },
    { "<disk type='file' device='disk'><source file='relative.img'/><target dev='vda'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "absolute" },
    { "<disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk>"
      "<disk type='file' device='disk'><source file='/b'/><target dev='vda'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "vda" },
    { "<disk type='file' device='cdrom'><target dev='vda' bus='virtio'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "virtio" },
    { "<disk type='file' device='disk'><driver type='vhdx'/><source file='/a'/><target dev='vda'/></disk>",
      HANGAR_ERROR_NOT_SUPPORTED, "vhdx" },
    { "<disk type='file' device='disk'><driver type='raw' cache='maybe'/><source file='/a'/>"
      "<target dev='vda'/></disk>", HANGAR_ERROR_INVALID_CONFIG, "maybe" },
    { "<disk type='file' device='disk'><source file='/a'/><target dev='sd,a' bus='sata'/></disk>",
      HANGAR_ERROR_INVALID_CONFIG, "sd,a" },
    { "<interface type='bridge'/>", HANGAR_ERROR_NOT_SUPPORTED, "bridge" },
    { "<interface type='user'><mac address='01:00:00:00:00:01'/></interface>",
      HANGAR_ERROR_INVALID_CONFIG, "MAC" },
    { "<interface type='user'><mac address='zz'/></interface>", HANGAR_ERROR_INVALID_CONFIG, "zz" },
    { "<interface type='user'><model type='ne2k_pci'/></interface>",
      HANGAR_ERROR_NOT_SUPPORTED, "ne2k_pci" },
    { "<graphics type='sdl'/>", HANGAR_ERROR_NOT_SUPPORTED, "sdl" },
    { "<graphics type='vnc'/><graphics type='vnc'/>", HANGAR_ERROR_INVALID_CONFIG, "two" },
    { "<video><model type='cirrus'/></video>", HANGAR_ERROR_NOT_SUPPORTED, "cirrus" },
    { "<serial type='tcp'/>", HANGAR_ERROR_NOT_SUPPORTED, "tcp" },
    { "<serial type='file'/>", HANGAR_ERROR_INVALID_CONFIG, "source" },
    { "<serial type='pty'><target port='7'/></serial>", HANGAR_ERROR_INVALID_CONFIG, "7" },
    { "<input type='tablet' bus='usb'/>", HANGAR_ERROR_INVALID_CONFIG, "USB controller" },
    { "<channel type='unix'><target type='virtio' name='org.example.x'/></channel>",
      HANGAR_ERROR_NOT_SUPPORTED, "org.example.x" },
    { "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>",
      HANGAR_ERROR_INVALID_CONFIG, "SPICE display" },
    { "<rng model='virtio'><backend model='random'>/etc/passwd</backend></rng>",
      HANGAR_ERROR_NOT_SUPPORTED, "/etc/passwd" },
    { "<sound model='sb16'/>", HANGAR_ERROR_NOT_SUPPORTED, "sb16" },
    { "<controller type='usb' model='sun-ohci'/>", HANGAR_ERROR_NOT_SUPPORTED, "sun-ohci" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = with_devices (cases[i].devices);
      parse_fails (xml, cases[i].code, cases[i].part);
    }
}

static void
test_bad_os_and_cpu (void)
{
  const struct { const char *from; const char *to; HangarError code; const char *part; } cases[] = {
    { "<type>hvm</type>", "<type>xen</type>", HANGAR_ERROR_NOT_SUPPORTED, "xen" },
    { "<type>hvm</type>", "<type arch='aarch64'>hvm</type>", HANGAR_ERROR_NOT_SUPPORTED, "aarch64" },
    { "<type>hvm</type>", "<type machine='virt'>hvm</type>", HANGAR_ERROR_NOT_SUPPORTED, "virt" },
    { "<type>hvm</type>", "<type machine='pc,accel=kvm'>hvm</type>", HANGAR_ERROR_INVALID_CONFIG,
      "machine type" },
    { "<type>hvm</type>", "<type>hvm</type><boot dev='usb'/>", HANGAR_ERROR_INVALID_CONFIG, "usb" },
    { "<type>hvm</type>", "<type>hvm</type><initrd>/boot/initrd</initrd>",
      HANGAR_ERROR_INVALID_CONFIG, "kernel" },
    { "<type>hvm</type>", "<type>hvm</type><kernel>vmlinuz</kernel>", HANGAR_ERROR_INVALID_CONFIG,
      "absolute" },
    { "<os>", "<cpu mode='maximum'/><os>", HANGAR_ERROR_NOT_SUPPORTED, "maximum" },
    { "<os>", "<cpu mode='custom'><model>Sky,lake</model></cpu><os>", HANGAR_ERROR_INVALID_CONFIG,
      "Sky,lake" },
    { "<os>", "<vcpu>4</vcpu><cpu><topology sockets='1' cores='2' threads='1'/></cpu><os>",
      HANGAR_ERROR_INVALID_CONFIG, "topology" },
    { "<os>", "<vcpu>0</vcpu><os>", HANGAR_ERROR_INVALID_CONFIG, "<vcpu>" },
    { "<os>", "<vcpu>1000</vcpu><os>", HANGAR_ERROR_INVALID_CONFIG, "<vcpu>" },
    { "<os>", "<clock offset='variable'/><os>", HANGAR_ERROR_NOT_SUPPORTED, "variable" },
    { "<os>", "<on_crash>coredump-destroy</on_crash><os>", HANGAR_ERROR_NOT_SUPPORTED, "on_crash" },
    { "<os>", "<uuid>1234</uuid><os>", HANGAR_ERROR_INVALID_CONFIG, "1234" },
    { "<os><type>hvm</type></os>", "", HANGAR_ERROR_INVALID_CONFIG, "<os>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = minimal_with (cases[i].from, cases[i].to);
      parse_fails (xml, cases[i].code, cases[i].part);
    }
}

static void
test_boot_order_conflict (void)
{
  g_autofree char *with_os_boot = minimal_with ("<type>hvm</type>", "<type>hvm</type><boot dev='cdrom'/>");
  g_autofree char *xml = NULL;
  const char *at = strstr (with_os_boot, "</domain>");

  xml = g_strdup_printf ("%.*s<devices><disk type='file' device='disk'><source file='/a'/>"
                         "<target dev='vda'/><boot order='1'/></disk></devices></domain>",
                         (int) (at - with_os_boot), with_os_boot);
  parse_fails (xml, HANGAR_ERROR_INVALID_CONFIG, "Boot order");
}

static void
test_ide_on_q35 (void)
{
  g_autofree char *q35 = minimal_with ("<type>hvm</type>", "<type machine='q35'>hvm</type>");
  const char *at = strstr (q35, "</domain>");
  g_autofree char *xml = g_strdup_printf ("%.*s<devices><disk type='file' device='cdrom'>"
                                          "<target dev='hda' bus='ide'/></disk></devices></domain>",
                                          (int) (at - q35), q35);

  parse_fails (xml, HANGAR_ERROR_INVALID_CONFIG, "sata");
}

static void
test_check_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-domain-XXXXXX", NULL);
  g_autofree char *disk = g_build_filename (dir, "disk.img", NULL);
  g_autofree char *devices = g_strdup_printf (
    "<disk type='file' device='disk'><source file='%s'/><target dev='vda'/></disk>", disk);
  g_autofree char *xml = with_devices (devices);
  g_autoptr(HangarDomain) domain = parse_ok (xml);
  g_autoptr(GError) error = NULL;

  g_assert_false (hangar_domain_check_files (domain, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, disk));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (disk, "", 0, NULL));
  g_assert_true (hangar_domain_check_files (domain, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_unlink (disk), ==, 0);
  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);
  g_assert_false (hangar_domain_check_files (domain, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
  g_rmdir (disk);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/domain/defaults", test_defaults);
  g_test_add_func ("/hangar/domain/memory-units", test_memory_units);
  g_test_add_func ("/hangar/domain/bad-memory", test_bad_memory);
  g_test_add_func ("/hangar/domain/host-memory", test_host_memory);
  g_test_add_func ("/hangar/domain/names", test_names);
  g_test_add_func ("/hangar/domain/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/hangar/domain/malformed", test_malformed);
  g_test_add_func ("/hangar/domain/no-external-entities", test_no_external_entities);
  g_test_add_func ("/hangar/domain/round-trip", test_round_trip_keeps_unknown);
  g_test_add_func ("/hangar/domain/devices", test_devices);
  g_test_add_func ("/hangar/domain/host-drive", test_host_drive);
  g_test_add_func ("/hangar/domain/usb-devices", test_usb_devices);
  g_test_add_func ("/hangar/domain/bad-devices", test_bad_devices);
  g_test_add_func ("/hangar/domain/bad-os-and-cpu", test_bad_os_and_cpu);
  g_test_add_func ("/hangar/domain/boot-order-conflict", test_boot_order_conflict);
  g_test_add_func ("/hangar/domain/ide-on-q35", test_ide_on_q35);
  g_test_add_func ("/hangar/domain/check-files", test_check_files);

  return g_test_run ();
}
