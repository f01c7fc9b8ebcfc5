## Application
app-title = Outbound — настройки исходящей почты
window-failed = Не удалось открыть окно: { $reason }
profiles-heading = Профили
profiles-loading = Загрузка профилей…
scope-user = пользовательский
scope-system = системный
scope-read-only = только чтение
profile-disabled = отключён
password-saved = пароль сохранён в связке ключей
password-not-saved = пароль не сохранён

## Validation: each message follows the field's name
invalid-name-empty = нужно указать имя
invalid-name-chars = допустимы только латинские буквы, цифры и _
invalid-mailbox = «{ $value }» — неверный адрес электронной почты
invalid-line-break = перевод строки здесь недопустим
invalid-required = это поле обязательно
invalid-host = «{ $value }» — не имя хоста и не IP-адрес
invalid-port = порт должен быть числом от 1 до 65535
invalid-timeout = тайм-аут должен быть от 1 до 300 секунд
invalid-args = не удаётся разобрать аргументы: { $reason }
invalid-no-recipients = для тестового письма нужен хотя бы один получатель
host-normalised = «{ $pasted }» понято как хост { $host }, порт { $port }, защита { $security }

## Files
doc-syntax = строка { $line }, столбец { $column }: { $message }
doc-syntax-field = строка { $line }, столбец { $column }, поле «{ $field }»: { $message }
doc-missing-format = в файле нет строки «format», это не файл Outbound
doc-newer-format = файл имеет формат { $found } от более новой версии Outbound; эта версия читает формат { $supported }
doc-bad-format = «format» должен быть целым числом
store-no-home = для этого пользователя не известна домашняя папка, настройки негде хранить
store-io = { $path }: { $reason }
store-name-mismatch = { $path }: профиль внутри называется «{ $inner }», а файл — «{ $file }»; переименуйте одно из них
store-not-found = профиля «{ $name }» нет
store-read-only = «{ $name }» — системный профиль, он только для чтения
store-exists = профиль «{ $name }» уже существует

## Import and export
import-invalid = { $file }, строка { $line }, профиль «{ $profile }»: { $problem }. Ничего не импортировано.
import-duplicate = { $file }, строка { $line }: профиль «{ $name }» встречается в файле дважды. Ничего не импортировано.
import-conflicts = Эти профили уже существуют: { $names }. Ничего не импортировано; выберите --on-conflict skip, replace или rename.
import-added = добавлен { $name }
import-replaced = заменён { $name }
import-renamed = { $from } импортирован как { $to }
import-skipped = пропущен { $name }: он уже существует

## Keyring
keyring-unavailable = Связка ключей недоступна: { $reason }
keyring-denied = Связка ключей отказала в доступе (заблокирована?): { $reason }
keyring-timeout = Связка ключей не ответила за { $seconds } с
keyring-failed = Ошибка связки ключей: { $reason }

## Command line
cli-no-runtime = Не удаётся запуститься: { $reason }
cli-no-profiles = Профилей пока нет.
cli-skipped-file = Не загружен: { $reason }
cli-exported = { $count ->
    [one] Экспортирован { $count } профиль в { $file }
    [few] Экспортировано { $count } профиля в { $file }
   *[many] Экспортировано { $count } профилей в { $file }
}
cli-deleted = Профиль { $name } удалён
cli-password-saved = Пароль профиля { $name } сохранён в связке ключей
cli-password-cleared = Пароль профиля { $name } удалён из связки ключей
cli-password-left = Не удалось удалить пароль из связки ключей: { $reason }
cli-password-env-missing = Переменная окружения { $var } не задана
cli-password-stdin = Не удаётся прочитать пароль со стандартного ввода: { $reason }
cli-password-empty = Пароль пуст

## Command-line help
cli = Настройки исходящей почты: профили, проверки и диагностика. Без команды открывает окно.
cli-profile = Управление профилями отправки
cli-profile-list = Показать профили обеих областей
cli-profile-list--json = Вывод в JSON
cli-profile-show = Показать один профиль
cli-profile-show--name = Имя профиля
cli-profile-show--json = Вывод в JSON
cli-profile-delete = Удалить пользовательский профиль и его сохранённый пароль
cli-profile-delete--name = Имя профиля
cli-profile-export = Экспортировать профили (все, если не названы) в файл, без паролей
cli-profile-export--names = Экспортируемые профили
cli-profile-export--output = Файл для записи
cli-profile-import = Импортировать профили из файла: все или ни одного
cli-profile-import--file = Файл для чтения
cli-profile-import--on-conflict = Что делать с уже существующим именем
cli-profile-import--json = Вывод в JSON
cli-profile-set-password = Сохранить пароль профиля в связке ключей
cli-profile-set-password--name = Имя профиля
cli-profile-set-password--password-stdin = Прочитать пароль со стандартного ввода
cli-profile-set-password--password-env = Прочитать пароль из этой переменной окружения
cli-profile-clear-password = Удалить пароль профиля из связки ключей
cli-profile-clear-password--name = Имя профиля

## Window
choose-profile = Выберите профиль слева или создайте новый.
unsaved = не сохранено
save = Сохранить
revert = Вернуть
ok = ОК
cancel = Отмена
browse = Обзор…
sidebar-system = СИСТЕМНЫЕ
action-new = Создать
action-duplicate = Копировать
action-delete = Удалить
action-import = Импорт…
action-export = Экспорт…
delete-confirm = Удалить насовсем
nav-preferences = Параметры
tab-delivery = Способ отправки
tab-smtp = SMTP
tab-sendmail = Sendmail
tab-not-used = Профиль отправляет другим способом; эти настройки сохранены на случай, если вы переключитесь обратно.
section-profile = Профиль
section-log = Журнал и ограничения
field-delivery = Отправка
delivery-sendmail = Локальная программа sendmail
delivery-smtp = SMTP-сервер
field-sender-address = Адрес отправителя
field-sender-name = Имя отправителя
field-subject-prefix = Префикс темы
field-name = Системное имя
field-description = Описание
field-enabled = Включён
field-enabled-label = использовать этот профиль для отправки
field-log-level = Журнал
log-full = Всё (пароли скрыты)
log-errors = Только ошибки
log-off = Ничего
field-log-file = Файл журнала
field-log-file-default = по умолчанию: в папке данных приложения
field-daily-limit = Писем в день
invalid-daily = ограничение должно быть целым числом; 0 — без ограничения
field-host = Сервер
field-port = Порт
port-presets = Обычные порты
field-security = Защита
security-none = Нет (открытый текст)
security-starttls = STARTTLS
security-tls = SSL/TLS
field-auth = Аутентификация
auth-none = Нет
auth-auto = Автоматически (лучшая из предложенных)
field-username = Имя пользователя
field-password = Пароль
password-show = Показать
password-hide = Скрыть
keyring-checking = проверяю связку ключей…
password-unsaved-change = изменён; будет сохранён в связке ключей вместе с профилем
password-session-only = использовать пароль только в этом сеансе
field-auth-domain = Домен (NTLM)
field-ehlo-name = Имя в EHLO
field-ehlo-name-default = по умолчанию: имя этого компьютера
field-certificates = Сертификаты
field-accept-invalid-certs = принимать недействительные сертификаты
warning-invalid-certs = Любой между этим компьютером и сервером сможет читать и менять почту, включая пароли. Только для проверки.
field-timeout = Тайм-аут, с
field-sendmail-path = Программа
field-sendmail-args = Аргументы
sendmail-args-note = Аргументы делятся на слова, как это сделала бы оболочка (кавычки объединяют слова), но оболочка никогда не запускается.
field-language = Язык
language-system = Системный
field-theme = Тема
theme-system = Системная
theme-light = Светлая
theme-dark = Тёмная
field-default-timeout = Тайм-аут новых профилей, с
status-saved = { $name } сохранён.
status-saved-without-password = Профиль сохранён, а пароль — нет: { $reason }
status-created = Создан { $name }.
status-fix-fields = Не сохранено: исправьте поля, отмеченные красным.
status-exported = { $count ->
    [one] Экспортирован { $count } профиль.
    [few] Экспортировано { $count } профиля.
   *[many] Экспортировано { $count } профилей.
}
status-imported = Импортировано: { $count }, пропущено: { $skipped }.
import-conflict-question = Эти профили уже существуют: { $names }. Что сделать с ними при импорте?
import-skip = Оставить мои
import-replace = Заменить
import-rename = Импортировать под новыми именами
path-prompt-no-dialog = Окно выбора файла на этом рабочем столе недоступно; введите путь вручную.
path-prompt-export = Файл для экспорта
path-prompt-import = Файл для импорта

## Packaging
cli-completions = Вывести сценарий автодополнения для командной оболочки (для сборщиков пакетов)
cli-completions--shell = Оболочка, для которой нужно автодополнение
cli-man = Вывести страницу руководства в формате roff (для сборщиков пакетов)
generate-write-failed = Не удалось записать в стандартный вывод: { $reason }
man-manual = Руководство Outbound
man-section-name = ИМЯ
man-section-synopsis = ОБЗОР
man-section-description = ОПИСАНИЕ
man-section-options = ПАРАМЕТРЫ
man-section-commands = КОМАНДЫ
man-section-exit-status = КОД ЗАВЕРШЕНИЯ
man-section-environment = ОКРУЖЕНИЕ
man-section-files = ФАЙЛЫ
man-section-secrets = ПАРОЛИ
man-exit-0 = Успешное завершение.
man-exit-1 = Проверка или поиск обнаружили проблему.
man-exit-2 = Неверный вызов, неверные входные данные или проблема окружения (например, недоступна связка ключей); сообщение выводится в стандартный поток ошибок.
man-env-lang = Язык интерфейса, ru или en; если не задан, язык определяется по системной локали.
man-env-log = Что записывать в стандартный поток ошибок, в виде фильтра tracing, например debug; по умолчанию warn.
man-env-system-dir = Заменяет папку системных профилей /etc/outbound/profiles.
man-env-config-home = Основная папка пользовательских настроек; профили хранятся в ней, в outbound/profiles.
man-file-user-profiles = Профили пользователя, по одному файлу TOML на профиль, права 0600.
man-file-system-profiles = Профили, которые администратор выдаёт всем пользователям компьютера; только для чтения, если нет прав на запись.
man-secrets = Пароли никогда не записываются в файлы: они хранятся в системной связке ключей (Secret Service в Linux) под службой outbound и пользователем profile:ИМЯ.
