/* hangar-domain.c: libvirt domain XML in and out
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "hangar-domain.h"
#include "hangar-error.h"
#include "hangar-domain-private.h"

struct _HangarDomain
{
  xmlDoc          *doc;
  HangarDomainDef  def;
};

/* QEMU's x86 machines cap RAM far below this; it only keeps sums from overflowing. */
#define MAX_MEMORY_KIB (G_GUINT64_CONSTANT (1) << 30) /* 1 TiB */
#define MAX_VCPUS 255
#define MAX_NAME_LENGTH 4096

static void
disk_def_free (gpointer data)
{
  HangarDiskDef *disk = data;

  g_free (disk->device);
  g_free (disk->source);
  g_free (disk->format);
  g_free (disk->bus);
  g_free (disk->target);
  g_free (disk->cache);
  g_free (disk->discard);
  g_free (disk->alias);
  g_free (disk);
}

static void
net_def_free (gpointer data)
{
  HangarNetDef *net = data;

  g_free (net->model);
  g_free (net->mac);
  g_free (net->alias);
  g_free (net);
}

static void
serial_def_free (gpointer data)
{
  HangarSerialDef *serial = data;

  g_free (serial->log_path);
  g_free (serial);
}

static void
input_def_free (gpointer data)
{
  HangarInputDef *input = data;

  g_free (input->type);
  g_free (input->bus);
  g_free (input);
}

static void
hangar_domain_clear (gpointer data)
{
  HangarDomain *self = data;
  HangarDomainDef *def = &self->def;

  g_clear_pointer (&self->doc, xmlFreeDoc);
  g_free (def->name);
  g_free (def->uuid);
  g_free (def->title);
  g_free (def->description);
  g_free (def->arch);
  g_free (def->machine);
  g_free (def->boot_order);
  g_free (def->kernel);
  g_free (def->initrd);
  g_free (def->cmdline);
  g_free (def->firmware);
  g_free (def->loader);
  g_free (def->nvram);
  g_free (def->nvram_template);
  g_free (def->os_id);
  g_free (def->install_phase);
  g_free (def->cpu_mode);
  g_free (def->cpu_model);
  g_free (def->clock_offset);
  g_free (def->on_poweroff);
  g_free (def->on_reboot);
  g_free (def->on_crash);
  g_clear_pointer (&def->disks, g_ptr_array_unref);
  g_clear_pointer (&def->nets, g_ptr_array_unref);
  g_clear_pointer (&def->serials, g_ptr_array_unref);
  g_clear_pointer (&def->inputs, g_ptr_array_unref);
  g_clear_pointer (&def->channels, g_array_unref);
  g_free (def->video);
  g_free (def->sound);
  g_free (def->rng_backend);
  g_free (def->usb_model);
  g_free (def->watchdog_model);
  g_free (def->watchdog_action);
  g_clear_pointer (&def->usb_hostdevs, g_array_unref);
}

HangarDomain *
hangar_domain_ref (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hangar_domain_unref (HangarDomain *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, hangar_domain_clear);
}

const HangarDomainDef *
hangar_domain_get_def (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->def;
}

xmlDoc *
hangar_domain_get_doc (HangarDomain *self)
{
  return self->doc;
}

const char *
hangar_domain_get_name (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->def.name;
}

const char *
hangar_domain_get_uuid (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->def.uuid;
}

/* ---- small XML helpers ---------------------------------------------------- */

gboolean
hangar_xml_node_is (xmlNode    *node,
                    const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

xmlNode *
hangar_xml_child (xmlNode    *parent,
                  const char *name)
{
  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = n->next)
    if (hangar_xml_node_is (n, name))
      return n;
  return NULL;
}

/* Returns a g_malloc'd copy of an attribute, or NULL. */
char *
hangar_xml_attr (xmlNode    *node,
                 const char *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

char *
hangar_xml_text (xmlNode *node)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlNodeGetContent (node);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

char *
hangar_xml_child_text (xmlNode    *parent,
                       const char *name)
{
  return hangar_xml_text (hangar_xml_child (parent, name));
}

gboolean
hangar_str_one_of (const char         *value,
                   const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

gboolean
hangar_domain_fail (GError      **error,
                    HangarError   code,
                    const char   *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (HANGAR_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

/* ---- scalar values -------------------------------------------------------- */

/* Reads a libvirt scaled integer (<memory unit='MiB'>512</memory>) as KiB. */
gboolean
hangar_domain_parse_memory (const char  *what,
                            const char  *text,
                            const char  *unit,
                            guint64     *out_kib,
                            GError     **error)
{
  static const struct { const char *unit; guint64 bytes; } units[] = {
    { "b", 1 }, { "bytes", 1 },
    { "KB", 1000 }, { "k", 1024 }, { "KiB", 1024 },
    { "MB", 1000000 }, { "M", 1 << 20 }, { "MiB", 1 << 20 },
    { "GB", 1000000000 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
    { "TB", G_GUINT64_CONSTANT (1000000000000) },
    { "T", G_GUINT64_CONSTANT (1) << 40 }, { "TiB", G_GUINT64_CONSTANT (1) << 40 },
  };
  guint64 multiplier = 0;
  guint64 value;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (unit == NULL)
    multiplier = 1024;
  for (guint i = 0; multiplier == 0 && i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].unit) == 0 &&
        (strlen (unit) == 1 || strcmp (unit, units[i].unit) == 0 || unit[0] == 'b'))
      multiplier = units[i].bytes;
  if (multiplier == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The unit “%s” of <%s> is not a size unit (use KiB, MiB or GiB)."),
                 unit, what);

  if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXUINT64, &value, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<%s> must be a whole number, not “%s”."), what, stripped);

  if (value > (MAX_MEMORY_KIB * 1024) / multiplier)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<%s> of %s %s is more than Hangar can give a machine (1 TiB)."),
                 what, stripped, unit ? unit : "KiB");

  /* Round up to whole KiB. */
  *out_kib = (value * multiplier + 1023) / 1024;
  return TRUE;
}

gboolean
hangar_domain_name_is_valid (const char  *name,
                             GError     **error)
{
  if (name == NULL || *name == '\0')
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The machine needs a <name>."));
  if (!g_utf8_validate (name, -1, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The machine name is not valid UTF-8."));
  if (strlen (name) > MAX_NAME_LENGTH)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine name is longer than %d bytes."), MAX_NAME_LENGTH);
  /* Commas and quotes are fine: every QEMU option a name enters is escaped. A slash is
   * not, as in libvirt: a name reads as a path with one ("web/01"), and a definition
   * with one could not go to libvirt. Line breaks would break every list that shows it. */
  if (strchr (name, '/') != NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A machine name cannot contain “/”; use another character, such as “-”."));
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The machine name contains a line break or another control character; "
                       "use a name on one line."));
    }
  if (g_ascii_isspace (name[0]) || g_ascii_isspace (name[strlen (name) - 1]))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine name “%s” starts or ends with a space."), name);
  return TRUE;
}

gboolean
hangar_domain_path_is_acceptable (const char  *what,
                                  const char  *path,
                                  GError     **error)
{
  if (!g_path_is_absolute (path))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The %s path “%s” must be absolute."), what, path);
  for (const char *p = path; *p; p++)
    if (g_ascii_iscntrl (*p))
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("The %s path contains a control character."), what);
  return TRUE;
}

/* ---- the whole document ---------------------------------------------------- */

static gboolean
parse_os (HangarDomainDef  *def,
          xmlNode          *os,
          GError          **error)
{
  xmlNode *type = hangar_xml_child (os, "type");
  g_autofree char *os_type = hangar_xml_text (type);
  g_autofree char *menu = NULL;
  g_autoptr(GString) order = g_string_new (NULL);

  if (os == NULL || type == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The definition needs <os><type>hvm</type></os>."));
  if (strcmp (g_strstrip (os_type), "hvm") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs full virtual machines (<type>hvm</type>), not “%s”."), os_type);

  def->arch = hangar_xml_attr (type, "arch");
  if (def->arch == NULL)
    def->arch = g_strdup ("x86_64");
  if (strcmp (def->arch, "x86_64") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs x86_64 machines, not %s."), def->arch);

  def->machine = hangar_xml_attr (type, "machine");
  if (def->machine == NULL)
    def->machine = g_strdup ("pc");
  for (const char *p = def->machine; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("“%s” is not a machine type."), def->machine);
  if (!g_str_equal (def->machine, "pc") && !g_str_equal (def->machine, "q35") &&
      !g_str_has_prefix (def->machine, "pc-i440fx-") && !g_str_has_prefix (def->machine, "pc-q35-"))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The machine type “%s” is not supported; use pc or q35."), def->machine);

  for (xmlNode *n = os->children; n != NULL; n = n->next)
    {
      g_autofree char *dev = NULL;
      char letter;

      if (!hangar_xml_node_is (n, "boot"))
        continue;
      dev = hangar_xml_attr (n, "dev");
      letter = g_strcmp0 (dev, "hd") == 0 ? 'c' :
               g_strcmp0 (dev, "cdrom") == 0 ? 'd' :
               g_strcmp0 (dev, "network") == 0 ? 'n' :
               g_strcmp0 (dev, "fd") == 0 ? 'a' : 0;
      if (letter == 0)
        {
          return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                       _("<boot dev='%s'/> is unknown; use hd, cdrom, network or fd."),
                       dev ? dev : "");
        }
      if (strchr (order->str, letter) == NULL)
        g_string_append_c (order, letter);
    }
  if (order->len > 0)
    def->boot_order = g_strdup (order->str);
  menu = hangar_xml_attr (hangar_xml_child (os, "bootmenu"), "enable");
  def->boot_menu = g_strcmp0 (menu, "yes") == 0;

  if (!hangar_domain_parse_firmware (def, os, error))
    return FALSE;

  def->kernel = hangar_xml_child_text (os, "kernel");
  def->initrd = hangar_xml_child_text (os, "initrd");
  def->cmdline = hangar_xml_child_text (os, "cmdline");
  if (def->kernel != NULL && !hangar_domain_path_is_acceptable ("kernel", def->kernel, error))
    return FALSE;
  if (def->initrd != NULL && !hangar_domain_path_is_acceptable ("initrd", def->initrd, error))
    return FALSE;
  if (def->kernel == NULL && (def->initrd != NULL || def->cmdline != NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<initrd> and <cmdline> need a <kernel> to boot."));
  return TRUE;
}

static gboolean
parse_cpu (HangarDomainDef  *def,
           xmlNode          *cpu,
           GError          **error)
{
  static const char * const modes[] = { "host-passthrough", "host-model", "custom", NULL };
  xmlNode *topology = hangar_xml_child (cpu, "topology");

  if (cpu == NULL)
    return TRUE;
  def->cpu_mode = hangar_xml_attr (cpu, "mode");
  def->cpu_model = hangar_xml_child_text (cpu, "model");
  if (def->cpu_mode == NULL)
    def->cpu_mode = g_strdup (def->cpu_model ? "custom" : "host-model");
  if (!hangar_str_one_of (def->cpu_mode, modes))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The CPU mode “%s” is not supported; use host-passthrough, host-model "
                   "or custom."), def->cpu_mode);
  if (g_str_equal (def->cpu_mode, "custom"))
    {
      if (def->cpu_model == NULL || *def->cpu_model == '\0')
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A CPU of mode='custom' needs a <model>."));
      for (const char *p = def->cpu_model; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
          return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                       _("“%s” is not a CPU model name."), def->cpu_model);
    }
  else
    g_clear_pointer (&def->cpu_model, g_free);

  if (topology != NULL)
    {
      const char *names[] = { "sockets", "dies", "cores", "threads" };
      guint *fields[] = { &def->sockets, &def->dies, &def->cores, &def->threads };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *value = hangar_xml_attr (topology, names[i]);
          guint64 number = 1;

          if (value != NULL &&
              !g_ascii_string_to_unsigned (value, 10, 1, MAX_VCPUS, &number, NULL))
            return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                         _("<topology %s='%s'/> must be a number from 1 to %d."),
                         names[i], value, MAX_VCPUS);
          *fields[i] = number;
        }
      if ((guint64) def->sockets * def->dies * def->cores * def->threads != def->vcpus)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The CPU topology gives %" G_GUINT64_FORMAT " CPUs (sockets × dies × "
                       "cores × threads) but <vcpu> says %u."),
                     (guint64) def->sockets * def->dies * def->cores * def->threads, def->vcpus);
    }
  return TRUE;
}

static gboolean
parse_lifecycle (xmlNode             *root,
                 const char          *element,
                 const char * const  *allowed,
                 const char          *fallback,
                 char               **out,
                 GError             **error)
{
  *out = hangar_xml_child_text (root, element);
  if (*out == NULL)
    *out = g_strdup (fallback);
  g_strstrip (*out);
  if (!hangar_str_one_of (*out, allowed))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                   _("<%s>%s</%s> is not supported; use one of: %s."),
                   element, *out, element, list);
    }
  return TRUE;
}

static gboolean
parse_root (HangarDomain  *self,
            xmlNode       *root,
            GError       **error)
{
  static const char * const poweroff[] = { "destroy", "restart", NULL };
  static const char * const reboot[] = { "restart", "destroy", NULL };
  static const char * const crash[] = { "destroy", "restart", "preserve", NULL };
  HangarDomainDef *def = &self->def;
  g_autofree char *type = hangar_xml_attr (root, "type");
  g_autofree char *vcpu = hangar_xml_child_text (root, "vcpu");
  g_autofree char *memory = hangar_xml_child_text (root, "memory");
  g_autofree char *current = hangar_xml_child_text (root, "currentMemory");
  g_autofree char *memory_unit = hangar_xml_attr (hangar_xml_child (root, "memory"), "unit");
  g_autofree char *current_unit = hangar_xml_attr (hangar_xml_child (root, "currentMemory"), "unit");
  xmlNode *uuid_node = hangar_xml_child (root, "uuid");
  xmlNode *features = hangar_xml_child (root, "features");
  xmlNode *devices = hangar_xml_child (root, "devices");
  guint64 vcpus = 1;

  if (!hangar_xml_node_is (root, "domain"))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The document is not a domain definition: its root element is <%s>, "
                   "not <domain>."), root->name);
  if (g_strcmp0 (type, "kvm") != 0 && g_strcmp0 (type, "qemu") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs domains of type='kvm' or type='qemu', not type='%s'."),
                 type ? type : "");

  def->name = hangar_xml_child_text (root, "name");
  if (!hangar_domain_name_is_valid (def->name, error))
    return FALSE;

  def->uuid = hangar_xml_text (uuid_node);
  if (def->uuid == NULL)
    {
      xmlNode *name_node = hangar_xml_child (root, "name");
      xmlNode *new_node = xmlNewDocNode (root->doc, NULL, (const xmlChar *) "uuid", NULL);

      g_assert (name_node != NULL); /* the name was checked above */
      def->uuid = g_uuid_string_random ();
      xmlNodeAddContent (new_node, (const xmlChar *) def->uuid);
      /* Where libvirt puts it: right after <name>, indented like it. */
      xmlAddNextSibling (name_node, new_node);
      if (name_node->prev != NULL && xmlNodeIsText (name_node->prev))
        xmlAddPrevSibling (new_node, xmlCopyNode (name_node->prev, 1));
    }
  else
    {
      char *lower;

      g_strstrip (def->uuid);
      if (!g_uuid_string_is_valid (def->uuid))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("“%s” is not a UUID."), def->uuid);
      lower = g_ascii_strdown (def->uuid, -1);
      g_free (def->uuid);
      def->uuid = lower;
    }

  def->title = hangar_xml_child_text (root, "title");
  def->description = hangar_xml_child_text (root, "description");

  if (memory == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The definition needs a <memory> size."));
  if (!hangar_domain_parse_memory ("memory", memory, memory_unit, &def->memory_kib, error))
    return FALSE;
  if (def->memory_kib < 1024)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine needs at least 1 MiB of memory; <memory> gives %" G_GUINT64_FORMAT
                   " KiB."), def->memory_kib);
  def->current_memory_kib = def->memory_kib;
  if (current != NULL &&
      !hangar_domain_parse_memory ("currentMemory", current, current_unit,
                                   &def->current_memory_kib, error))
    return FALSE;
  if (def->current_memory_kib > def->memory_kib || def->current_memory_kib == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<currentMemory> must be more than 0 and no more than <memory>."));

  if (vcpu != NULL &&
      !g_ascii_string_to_unsigned (g_strstrip (vcpu), 10, 1, MAX_VCPUS, &vcpus, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<vcpu> must be a number from 1 to %d, not “%s”."), MAX_VCPUS, vcpu);
  def->vcpus = vcpus;
  def->vcpus_current = vcpus;
  {
    g_autofree char *online = hangar_xml_attr (hangar_xml_child (root, "vcpu"), "current");
    guint64 number = 0;

    if (online != NULL &&
        !g_ascii_string_to_unsigned (online, 10, 1, vcpus, &number, NULL))
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("<vcpu current='%s'> must be a number from 1 to the maximum, %u."),
                   online, (guint) vcpus);
    if (online != NULL)
      def->vcpus_current = number;
  }

  if (!parse_os (def, hangar_xml_child (root, "os"), error))
    return FALSE;

  def->acpi = hangar_xml_child (features, "acpi") != NULL;
  def->apic = hangar_xml_child (features, "apic") != NULL;

  if (!parse_cpu (def, hangar_xml_child (root, "cpu"), error) ||
      !hangar_domain_parse_metadata (def, root, error))
    return FALSE;

  def->clock_offset = hangar_xml_attr (hangar_xml_child (root, "clock"), "offset");
  if (def->clock_offset == NULL)
    def->clock_offset = g_strdup ("utc");
  if (!hangar_str_one_of (def->clock_offset, (const char * const[]) { "utc", "localtime", NULL }))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The clock offset “%s” is not supported; use utc or localtime."),
                 def->clock_offset);

  if (!parse_lifecycle (root, "on_poweroff", poweroff, "destroy", &def->on_poweroff, error) ||
      !parse_lifecycle (root, "on_reboot", reboot, "restart", &def->on_reboot, error) ||
      !parse_lifecycle (root, "on_crash", crash, "destroy", &def->on_crash, error))
    return FALSE;

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && !hangar_domain_parse_device (def, n, error))
      {
        /* Where to look, for a person editing the XML by hand. */
        g_prefix_error (error, _("Line %ld: "), xmlGetLineNo (n));
        return FALSE;
      }

  if (g_strcmp0 (def->usb_model, "none") == 0)
    g_clear_pointer (&def->usb_model, g_free);

  return hangar_domain_check_devices (def, error);
}

static void
on_xml_error (void        *user_data,
              xmlErrorPtr  xml_error)
{
  /* The parser reports through the context's last error; keep stderr quiet. */
}

HangarDomain *
hangar_domain_parse (const char  *xml,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(HangarDomain) self = NULL;
  xmlParserCtxt *ctxt;
  xmlNode *root;

  g_return_val_if_fail (xml != NULL, NULL);

  if (length < 0)
    length = strlen (xml);
  if (length > 1024 * 1024)
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The definition is larger than 1 MiB."));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (HangarDomain);
  self->def.disks = g_ptr_array_new_with_free_func (disk_def_free);
  self->def.nets = g_ptr_array_new_with_free_func (net_def_free);
  self->def.serials = g_ptr_array_new_with_free_func (serial_def_free);
  self->def.inputs = g_ptr_array_new_with_free_func (input_def_free);
  self->def.channels = g_array_new (FALSE, FALSE, sizeof (HangarChannelKind));

  ctxt = xmlNewParserCtxt ();
  xmlSetStructuredErrorFunc (NULL, on_xml_error);
  /* No network, no entity expansion, no DTD loading: a definition reads no other file. */
  self->doc = xmlCtxtReadMemory (ctxt, xml, length, "domain.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (self->doc == NULL)
    {
      const xmlError *xml_error = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = g_strstrip (g_strdup (xml_error && xml_error->message ?
                                                       xml_error->message : "unknown error"));

      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
            _("The XML is malformed at line %d: %s."),
            xml_error ? xml_error->line : 0, message);
      xmlFreeParserCtxt (ctxt);
      xmlSetStructuredErrorFunc (NULL, NULL);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);
  xmlSetStructuredErrorFunc (NULL, NULL);

  /* Entities are not expanded while parsing, but reading a node's text would expand
   * them (a billion laughs, or a file's content): domain XML has no DTD, so none is taken. */
  if (self->doc->intSubset != NULL || self->doc->extSubset != NULL)
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                          _("The definition has a <!DOCTYPE>; domain XML has none: remove it."));
      return NULL;
    }
  root = xmlDocGetRootElement (self->doc);
  if (root == NULL)
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The XML document is empty."));
      return NULL;
    }
  if (!parse_root (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
hangar_domain_to_xml (HangarDomain *self)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *copy;

  g_return_val_if_fail (self != NULL, NULL);

  xmlDocDumpFormatMemoryEnc (self->doc, &buffer, &size, "UTF-8", 1);
  /* Drop the XML declaration: libvirt's own dumps have none. */
  copy = g_strdup (g_str_has_prefix ((char *) buffer, "<?xml") ?
                   strchr ((char *) buffer, '\n') + 1 : (char *) buffer);
  xmlFree (buffer);
  return copy;
}
