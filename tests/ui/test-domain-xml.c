/* test-domain-xml.c: the details pane's reading and editing of a definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <string.h>

#include "hangar-domain-xml.h"

static const char *domain =
  "<domain type='kvm'>\n"
  "  <name>web-01</name>\n"
  "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"
  "  <memory unit='GiB'>2</memory>\n"
  "  <vcpu>2</vcpu>\n"
  "  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>\n"
  "  <devices>\n"
  "    <disk type='file' device='disk'><source file='/a.qcow2'/>"
  "<target dev='vda' bus='virtio'/></disk>\n"
  "    <disk type='file' device='cdrom'><target dev='sdb' bus='sata'/>"
  "<boot order='1'/></disk>\n"
  "    <interface type='user'><mac address='52:54:00:AB:CD:EF'/></interface>\n"
  "    <controller type='pci' model='pcie-root'/>\n"
  "    <controller type='usb' model='qemu-xhci'/>\n"
  "    <input type='tablet' bus='usb'/>\n"
  "    <input type='keyboard' bus='ps2'/>\n"
  "  </devices>\n"
  "</domain>\n";

static xmlDoc *
parse (void)
{
  g_autoptr(GError) error = NULL;
  xmlDoc *doc = hangar_domain_xml_parse (domain, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
test_items (void)
{
  g_autoptr(xmlDoc) doc = parse ();
  g_autoptr(GPtrArray) items = hangar_domain_xml_items (doc);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      HangarDomainItem *item = g_ptr_array_index (items, i);

      g_string_append_printf (text, "%s%s=%s", i > 0 ? "," : "", item->key, item->title);
    }
  g_assert_cmpstr (text->str, ==,
                   "overview=Overview,cpus=CPUs,memory=Memory,boot=Boot Options,"
                   "disk:vda=Disk vda,disk:sdb=CD-ROM sdb,nic:52:54:00:ab:cd:ef=NIC :AB:CD:EF,"
                   "input=Input Devices,usb=USB Controller,xml=XML");

  g_assert_true (hangar_domain_xml_find (doc, "overview") == xmlDocGetRootElement (doc));
  g_assert_true (hangar_domain_xml_is (hangar_domain_xml_find (doc, "nic:52:54:00:ab:cd:ef"),
                                       "interface"));
  /* The USB page is the USB controller, not the first controller. */
  {
    g_autofree char *type = hangar_domain_xml_attr (hangar_domain_xml_find (doc, "usb"), "type");

    g_assert_cmpstr (type, ==, "usb");
  }
  g_assert_null (hangar_domain_xml_find (doc, "disk:vdz"));
  {
    g_autofree char *input = hangar_domain_xml_device_title (hangar_domain_xml_find (doc, "input"));
    g_autofree char *usb = hangar_domain_xml_device_title (hangar_domain_xml_find (doc, "usb"));

    g_assert_cmpstr (input, ==, "Tablet");
    g_assert_cmpstr (usb, ==, "USB Controller");
  }
  g_assert_null (hangar_domain_xml_find (doc, "rng"));
}

static void
test_memory (void)
{
  g_autoptr(xmlDoc) doc = parse ();
  xmlNode *root = xmlDocGetRootElement (doc);
  g_autofree char *xml = NULL;

  g_assert_cmpuint (hangar_domain_xml_get_memory_kib (root, "memory"), ==, 2 * 1024 * 1024);
  g_assert_cmpuint (hangar_domain_xml_get_memory_kib (root, "currentMemory"), ==, 0);
  hangar_domain_xml_set_memory_kib (root, "currentMemory", 1024 * 1024);
  hangar_domain_xml_set_memory_kib (root, "memory", 3 * 1024 * 1024);
  xml = hangar_domain_xml_to_string (doc);
  /* Where libvirt writes it: right after <memory>. */
  g_assert_nonnull (strstr (xml, "<memory unit=\"KiB\">3145728</memory>\n"
                                 "  <currentMemory unit=\"KiB\">1048576</currentMemory>\n"
                                 "  <vcpu>2</vcpu>"));
  g_assert_false (g_str_has_prefix (xml, "<?xml"));
}

static void
test_text (void)
{
  g_autoptr(xmlDoc) doc = parse ();
  xmlNode *root = xmlDocGetRootElement (doc);
  g_autofree char *title = NULL;
  g_autofree char *xml = NULL;

  hangar_domain_xml_set_child_text (root, "title", "Build & <Test>");
  title = hangar_domain_xml_child_text (root, "title");
  g_assert_cmpstr (title, ==, "Build & <Test>");
  xml = hangar_domain_xml_to_string (doc);
  g_assert_nonnull (strstr (xml, "</uuid>\n  <title>Build &amp; &lt;Test&gt;</title>"));

  hangar_domain_xml_set_child_text (root, "title", "");
  g_assert_null (hangar_domain_xml_child (root, "title"));
}

static void
test_boot_order (void)
{
  g_autoptr(xmlDoc) doc = parse ();
  g_autoptr(GPtrArray) bootable = hangar_domain_xml_bootable (doc);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  xmlNode *os = hangar_domain_xml_child (xmlDocGetRootElement (doc), "os");

  /* The CD-ROM has an order: first; the others after it as listed. */
  g_assert_cmpuint (bootable->len, ==, 3);
  g_assert_true (g_ptr_array_index (bootable, 0) == hangar_domain_xml_find (doc, "disk:sdb"));
  g_assert_true (g_ptr_array_index (bootable, 1) == hangar_domain_xml_find (doc, "disk:vda"));

  g_ptr_array_add (order, hangar_domain_xml_find (doc, "nic:52:54:00:ab:cd:ef"));
  g_ptr_array_add (order, hangar_domain_xml_find (doc, "disk:vda"));
  hangar_domain_xml_set_boot_order (doc, order);
  g_assert_cmpuint (hangar_domain_xml_boot_order (g_ptr_array_index (order, 0)), ==, 1);
  g_assert_cmpuint (hangar_domain_xml_boot_order (hangar_domain_xml_find (doc, "disk:vda")), ==, 2);
  g_assert_cmpuint (hangar_domain_xml_boot_order (hangar_domain_xml_find (doc, "disk:sdb")), ==, 0);
  /* libvirt refuses <os><boot dev> beside per-device order. */
  g_assert_null (hangar_domain_xml_child (os, "boot"));
}

static void
test_new_devices (void)
{
  g_autoptr(xmlDoc) doc = parse ();
  g_autofree char *virtio = hangar_domain_xml_free_target (doc, "virtio");
  g_autofree char *sata = hangar_domain_xml_free_target (doc, "sata");
  g_autofree char *ide = hangar_domain_xml_free_target (doc, "ide");
  g_autoptr(GError) error = NULL;
  xmlNode *rng;

  g_assert_cmpstr (virtio, ==, "vdb");
  g_assert_cmpstr (sata, ==, "sda");
  g_assert_cmpstr (ide, ==, "hda");

  rng = hangar_domain_xml_add_device (doc, "<rng model='virtio'><backend model='random'>"
                                           "/dev/urandom</backend></rng>", &error);
  g_assert_no_error (error);
  g_assert_true (rng == hangar_domain_xml_find (doc, "rng"));
  g_assert_cmpstr (hangar_domain_xml_group_key (rng), ==, "rng");
  g_assert_null (hangar_domain_xml_add_device (doc, "<rng", &error));
  g_assert_nonnull (error);
}

static void
test_checks (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hangar_domain_xml_error_line ("The XML is malformed at line 12: oops."), ==, 12);
  g_assert_cmpint (hangar_domain_xml_error_line ("The disk is missing."), ==, 0);
  g_assert_true (hangar_domain_xml_mac_is_valid ("52:54:00:12:34:56"));
  g_assert_false (hangar_domain_xml_mac_is_valid ("53:54:00:12:34:56"));  /* multicast */
  g_assert_false (hangar_domain_xml_mac_is_valid ("52:54:00:12:34"));
  g_assert_false (hangar_domain_xml_mac_is_valid ("52-54-00-12-34-56"));
  g_assert_null (hangar_domain_xml_parse ("<domain>", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (hangar_domain_xml_parse ("<network/>", &error));
  g_assert_nonnull (error);
}

/* Which console a remote machine's window asks for. */
static void
test_console_kind (void)
{
  static const struct
  {
    const char *devices;
    const char *kind;
  } cases[] = {
    { "<graphics type='vnc'/><serial type='pty'/>", "vnc" },
    { "<serial type='pty'/><graphics type='spice'/>", "spice" },
    { "<graphics type='sdl'/><graphics type='spice'/><graphics type='vnc'/>", "spice" },
    { "<serial type='pty'/>", "serial" },
    { "<console type='pty'/>", "serial" },
    { "<graphics type='egl-headless'/>", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>c</name>"
                                              "<devices>%s</devices></domain>",
                                              cases[i].devices);
      g_autoptr(GError) error = NULL;
      g_autoptr(xmlDoc) doc = hangar_domain_xml_parse (xml, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (hangar_domain_xml_console_kind (doc), ==, cases[i].kind);
    }
  g_assert_null (hangar_domain_xml_console_kind (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/domain-xml/items", test_items);
  g_test_add_func ("/hangar/domain-xml/memory", test_memory);
  g_test_add_func ("/hangar/domain-xml/text", test_text);
  g_test_add_func ("/hangar/domain-xml/boot-order", test_boot_order);
  g_test_add_func ("/hangar/domain-xml/new-devices", test_new_devices);
  g_test_add_func ("/hangar/domain-xml/checks", test_checks);
  g_test_add_func ("/hangar/domain-xml/console-kind", test_console_kind);

  return g_test_run ();
}
