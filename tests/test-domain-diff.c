/* test-domain-diff.c: what differs between two definitions, and what can apply live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <string.h>

#include "hangar-domain-diff.h"
#include "hangar-error.h"

/* A running machine: a virtio disk, a CD-ROM with a disc, a NIC, a balloon. */
#define BASE \
  "<domain type='kvm'>\n" \
  "  <name>base</name>\n" \
  "  <uuid>c0ffee00-0000-4000-8000-0000000000d1</uuid>\n" \
  "  <title>Before</title>\n" \
  "  <memory unit='MiB'>512</memory>\n" \
  "  <currentMemory unit='MiB'>512</currentMemory>\n" \
  "  <vcpu>1</vcpu>\n" \
  "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n" \
  "  <devices>\n" \
  "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>" \
  "<source file='/images/system.qcow2'/><target dev='vda' bus='virtio'/></disk>\n" \
  "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>" \
  "<source file='/images/one.iso'/><target dev='sda' bus='sata'/></disk>\n" \
  "    <interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>" \
  "</interface>\n" \
  "    <memballoon model='virtio'/>\n" \
  "  </devices>\n" \
  "</domain>\n"

static HangarDomain *
parse_ok (const char *xml)
{
  g_autoptr(GError) error = NULL;
  HangarDomain *domain = hangar_domain_parse (xml, -1, &error);

  g_assert_no_error (error);
  return domain;
}

/* BASE with the first @from replaced by @to. */
static HangarDomain *
base_with (const char *from,
           const char *to)
{
  const char *at = strstr (BASE, from);
  g_autofree char *xml = NULL;

  g_assert_nonnull (at);
  xml = g_strdup_printf ("%.*s%s%s", (int) (at - BASE), BASE, to, at + strlen (from));
  return parse_ok (xml);
}

static GPtrArray *
diff_base (HangarDomain *changed)
{
  g_autoptr(HangarDomain) base = parse_ok (BASE);

  return hangar_domain_diff (hangar_domain_get_def (base), hangar_domain_get_def (changed));
}

/* The one change from BASE to BASE with @from replaced by @to. */
static void
assert_one_change (const char       *from,
                   const char       *to,
                   HangarChangeKind  kind,
                   const char       *summary)
{
  g_autoptr(HangarDomain) changed = base_with (from, to);
  g_autoptr(GPtrArray) changes = diff_base (changed);
  HangarChange *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = g_ptr_array_index (changes, 0);
  g_assert_cmpint (change->kind, ==, kind);
  g_assert_cmpstr (change->summary, ==, summary);
}

static void
test_nothing (void)
{
  g_autoptr(HangarDomain) same = parse_ok (BASE);
  g_autoptr(GPtrArray) changes = diff_base (same);
  /* Names, titles and the OS are not QEMU's business. */
  g_autoptr(HangarDomain) renamed = base_with ("<name>base</name>", "<name>renamed</name>");
  g_autoptr(GPtrArray) name_changes = diff_base (renamed);
  g_autoptr(HangarDomain) retitled = base_with ("Before", "After");
  g_autoptr(GPtrArray) title_changes = diff_base (retitled);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (name_changes->len, ==, 0);
  g_assert_cmpuint (title_changes->len, ==, 0);
}

static void
test_memory (void)
{
  assert_one_change ("<memory unit='MiB'>512", "<memory unit='MiB'>1024",
                     HANGAR_CHANGE_RESTART, "Memory: 512 MiB to 1 GiB");
  assert_one_change ("<currentMemory unit='MiB'>512", "<currentMemory unit='MiB'>384",
                     HANGAR_CHANGE_BALLOON, "Current memory: 512 MiB to 384 MiB");
  /* The balloon cannot give more than the guest started with. */
  {
    g_autoptr(HangarDomain) more = base_with ("<memory unit='MiB'>512</memory>\n"
                                              "  <currentMemory unit='MiB'>512",
                                              "<memory unit='MiB'>1024</memory>\n"
                                              "  <currentMemory unit='MiB'>1024");
    g_autoptr(GPtrArray) changes = diff_base (more);

    g_assert_cmpuint (changes->len, ==, 2);
    for (guint i = 0; i < changes->len; i++)
      g_assert_cmpint (((HangarChange *) g_ptr_array_index (changes, i))->kind, ==,
                       HANGAR_CHANGE_RESTART);
  }
  /* Without a balloon, current memory waits too. */
  {
    g_autoptr(HangarDomain) base = base_with ("<memballoon model='virtio'/>",
                                              "<memballoon model='none'/>");
    g_autoptr(HangarDomain) less = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    g_autofree char *xml = hangar_domain_to_xml (base);
    char *at = strstr (xml, ">512</currentMemory>");

    g_assert_nonnull (at);
    memcpy (at, ">256", 4);
    less = parse_ok (xml);
    changes = hangar_domain_diff (hangar_domain_get_def (base), hangar_domain_get_def (less));
    g_assert_cmpuint (changes->len, ==, 1);
    g_assert_cmpint (((HangarChange *) g_ptr_array_index (changes, 0))->kind, ==,
                     HANGAR_CHANGE_RESTART);
  }
}

static void
test_processors (void)
{
  assert_one_change ("<vcpu>1", "<vcpu>2", HANGAR_CHANGE_RESTART, "Processors: 1 to 2");
  {
    /* Room for more: plugged in live, up to the maximum; fewer waits. */
    g_autoptr(HangarDomain) room = base_with ("<vcpu>1", "<vcpu current='1'>4");
    g_autoptr(HangarDomain) more = base_with ("<vcpu>1", "<vcpu current='3'>4");
    g_autoptr(HangarDomain) beyond = base_with ("<vcpu>1", "<vcpu current='5'>6");
    g_autoptr(GPtrArray) live = hangar_domain_diff (hangar_domain_get_def (room),
                                                    hangar_domain_get_def (more));
    g_autoptr(GPtrArray) fewer = hangar_domain_diff (hangar_domain_get_def (more),
                                                     hangar_domain_get_def (room));
    g_autoptr(GPtrArray) later = hangar_domain_diff (hangar_domain_get_def (room),
                                                     hangar_domain_get_def (beyond));

    g_assert_cmpuint (live->len, ==, 1);
    g_assert_cmpint (((HangarChange *) g_ptr_array_index (live, 0))->kind, ==,
                     HANGAR_CHANGE_VCPUS);
    g_assert_cmpstr (((HangarChange *) g_ptr_array_index (live, 0))->summary, ==,
                     "Processors: 1 to 3");
    g_assert_cmpuint (fewer->len, ==, 1);
    g_assert_cmpint (((HangarChange *) g_ptr_array_index (fewer, 0))->kind, ==,
                     HANGAR_CHANGE_RESTART);
    g_assert_cmpuint (later->len, ==, 2);
    g_assert_cmpstr (((HangarChange *) g_ptr_array_index (later, 0))->summary, ==,
                     "Maximum processors: 4 to 6");
    g_assert_cmpint (((HangarChange *) g_ptr_array_index (later, 1))->kind, ==,
                     HANGAR_CHANGE_RESTART);
  }
  assert_one_change ("<os><type arch='x86_64' machine='pc'>",
                     "<os><type arch='x86_64' machine='q35'>",
                     HANGAR_CHANGE_RESTART, "Machine type: pc to q35");
}

static void
test_disks (void)
{
  static const char *vdb = "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                           "<source file='/images/data.img'/><target dev='vdb' bus='virtio'/>"
                           "</disk><memballoon";
  static const char *sdb = "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                           "<source file='/images/data.img'/><target dev='sdb' bus='sata'/>"
                           "</disk><memballoon";

  assert_one_change ("<memballoon", vdb, HANGAR_CHANGE_DISK_ADD, "Disk vdb added");
  /* SATA has no hot-plug in QEMU's AHCI: it waits. */
  assert_one_change ("<memballoon", sdb, HANGAR_CHANGE_RESTART, "Disk sdb added");
  assert_one_change ("/images/one.iso", "/images/two.iso", HANGAR_CHANGE_MEDIA,
                     "CD-ROM sda: /images/two.iso inserted");
  assert_one_change ("<source file='/images/one.iso'/>", "", HANGAR_CHANGE_MEDIA,
                     "CD-ROM sda: ejected");
  assert_one_change ("/images/system.qcow2", "/images/other.qcow2", HANGAR_CHANGE_RESTART,
                     "Disk vda: image /images/other.qcow2");
  assert_one_change ("type='qcow2'/>", "type='qcow2' cache='none'/>", HANGAR_CHANGE_RESTART,
                     "Disk vda: cache mode and access");
  {
    /* Removing vda and adding vdb: the removal comes first, with its key. */
    g_autoptr(HangarDomain) swapped = base_with ("<target dev='vda' bus='virtio'/>",
                                                 "<target dev='vdb' bus='virtio'/>");
    g_autoptr(GPtrArray) changes = diff_base (swapped);
    HangarChange *first, *second;

    g_assert_cmpuint (changes->len, ==, 2);
    first = g_ptr_array_index (changes, 0);
    second = g_ptr_array_index (changes, 1);
    g_assert_cmpint (first->kind, ==, HANGAR_CHANGE_DISK_REMOVE);
    g_assert_cmpstr (first->key, ==, "vda");
    g_assert_cmpuint (first->old_index, ==, 0);
    g_assert_cmpint (second->kind, ==, HANGAR_CHANGE_DISK_ADD);
    g_assert_cmpstr (second->key, ==, "vdb");
  }
}

static void
test_nics (void)
{
  assert_one_change ("<model type='virtio'/></interface>",
                     "<model type='virtio'/><link state='down'/></interface>",
                     HANGAR_CHANGE_LINK, "Network card 52:54:00:00:00:01: cable unplugged");
  assert_one_change ("<model type='virtio'/></interface>",
                     "<model type='e1000'/></interface>", HANGAR_CHANGE_RESTART,
                     "Network card 52:54:00:00:00:01: model virtio to e1000");
  assert_one_change ("<memballoon", "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                     "</interface><memballoon", HANGAR_CHANGE_NET_ADD,
                     "Network card 52:54:00:00:00:02 added");
  {
    g_autoptr(HangarDomain) none = base_with ("<interface type='user'><mac address="
                                              "'52:54:00:00:00:01'/><model type='virtio'/>"
                                              "</interface>", "");
    g_autoptr(GPtrArray) changes = diff_base (none);
    HangarChange *change;

    g_assert_cmpuint (changes->len, ==, 1);
    change = g_ptr_array_index (changes, 0);
    g_assert_cmpint (change->kind, ==, HANGAR_CHANGE_NET_REMOVE);
    g_assert_cmpstr (change->key, ==, "52:54:00:00:00:01");
  }
}

static void
test_other_devices (void)
{
  assert_one_change ("<memballoon", "<sound model='ich9'/><memballoon", HANGAR_CHANGE_RESTART,
                     "Sound: none to ich9");
  assert_one_change ("<memballoon", "<video><model type='vga'/></video><memballoon",
                     HANGAR_CHANGE_RESTART, "Video: none to vga");
  assert_one_change ("<memballoon", "<input type='keyboard' bus='virtio'/><memballoon",
                     HANGAR_CHANGE_RESTART, "Input devices");
}

/* live.xml: aliases pinned, kept through edits, never in a saved definition. */
static void
test_aliases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) base = parse_ok (BASE);
  g_autoptr(HangarDomain) pinned = hangar_domain_pin_aliases (base, &error);
  g_autoptr(HangarDomain) without_vda = NULL;
  g_autoptr(HangarDomain) stripped = NULL;
  g_autoptr(HangarDomain) foreign = NULL;
  const HangarDomainDef *def;

  g_assert_no_error (error);
  def = hangar_domain_get_def (pinned);
  g_assert_cmpstr (((HangarDiskDef *) g_ptr_array_index (def->disks, 0))->alias, ==, "disk0");
  g_assert_cmpstr (((HangarDiskDef *) g_ptr_array_index (def->disks, 1))->alias, ==, "disk1");
  g_assert_cmpstr (((HangarNetDef *) g_ptr_array_index (def->nets, 0))->alias, ==, "net0");

  /* The CD-ROM keeps QEMU's id when the disk before it goes. */
  without_vda = hangar_domain_remove_device (pinned, "disk", 0, &error);
  g_assert_no_error (error);
  def = hangar_domain_get_def (without_vda);
  g_assert_cmpuint (def->disks->len, ==, 1);
  g_assert_cmpstr (((HangarDiskDef *) g_ptr_array_index (def->disks, 0))->alias, ==, "disk1");

  stripped = hangar_domain_strip_aliases (without_vda, &error);
  g_assert_no_error (error);
  g_assert_null (((HangarDiskDef *) g_ptr_array_index (hangar_domain_get_def (stripped)->disks,
                                                        0))->alias);
  {
    g_autofree char *xml = hangar_domain_to_xml (stripped);
    g_assert_null (strstr (xml, "<alias"));
  }

  /* libvirt's aliases, or anything else, never become QEMU ids. */
  foreign = base_with ("<target dev='vda' bus='virtio'/>",
                       "<target dev='vda' bus='virtio'/><alias name='x\",id=evil'/>");
  g_assert_null (((HangarDiskDef *) g_ptr_array_index (hangar_domain_get_def (foreign)->disks,
                                                        0))->alias);
}

static void
test_edit_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) base = parse_ok (BASE);
  g_autofree char *added = NULL, *removed = NULL, *bad = NULL, *missing = NULL;
  g_autoptr(HangarDomain) parsed = NULL;

  added = hangar_domain_edit_device (base, "<disk type='file' device='disk'>"
                                     "<source file='/images/b.img'/><target dev='vdb'/></disk>",
                                     FALSE, &error);
  g_assert_no_error (error);
  parsed = parse_ok (added);
  g_assert_cmpuint (hangar_domain_get_def (parsed)->disks->len, ==, 3);
  g_assert_cmpstr (((HangarDiskDef *) g_ptr_array_index (hangar_domain_get_def (parsed)->disks,
                                                          2))->target, ==, "vdb");

  removed = hangar_domain_edit_device (base, "<interface type='user'>"
                                       "<mac address='52:54:00:00:00:01'/></interface>",
                                       TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&parsed, hangar_domain_unref);
  parsed = parse_ok (removed);
  g_assert_cmpuint (hangar_domain_get_def (parsed)->nets->len, ==, 0);

  missing = hangar_domain_edit_device (base, "<disk><target dev='vdz'/></disk>", TRUE, &error);
  g_assert_null (missing);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  bad = hangar_domain_edit_device (base, "<watchdog model='i6300esb'", FALSE, &error);
  g_assert_null (bad);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  bad = hangar_domain_edit_device (base, "<domain/>", FALSE, &error);
  g_assert_null (bad);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
}

static void
test_format_kib (void)
{
  struct { guint64 kib; const char *text; } cases[] = {
    { 512 * 1024, "512 MiB" },
    { 2 * 1024 * 1024, "2 GiB" },
    { 1536 * 1024, "1.5 GiB" },
    { 100, "100 KiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hangar_format_kib (cases[i].kib);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/nothing", test_nothing);
  g_test_add_func ("/diff/memory", test_memory);
  g_test_add_func ("/diff/processors", test_processors);
  g_test_add_func ("/diff/disks", test_disks);
  g_test_add_func ("/diff/nics", test_nics);
  g_test_add_func ("/diff/other-devices", test_other_devices);
  g_test_add_func ("/diff/aliases", test_aliases);
  g_test_add_func ("/diff/edit-device", test_edit_device);
  g_test_add_func ("/diff/format-kib", test_format_kib);
  return g_test_run ();
}
